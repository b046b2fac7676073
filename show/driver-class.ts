// How a node is drawn: format, filter or protocol driver (QEMU's is_format / is_filter facts), or a parent that is no node.
import { DRIVER_FACTS } from '../model/perm-rules.ts';

export type NodeClass = 'format' | 'filter' | 'protocol' | 'other';

/** Format drivers of QEMU 7.2's BlockdevDriver (.is_format in block/*.c). */
const FORMATS: ReadonlySet<string> = new Set(['qcow2', 'raw', 'qcow', 'qed', 'vmdk', 'vdi', 'vhdx', 'vpc', 'luks', 'parallels', 'bochs', 'cloop', 'dmg']);

/** Filters QEMU has beyond the drivers the model knows (.is_filter in block/*.c). */
const OTHER_FILTERS: ReadonlySet<string> = new Set(['preallocate', 'compress', 'copy-before-write', 'blklogwrites', 'blkreplay']);

/** Protocol drivers (.protocol_name or no children of their own). */
const PROTOCOLS: ReadonlySet<string> = new Set([
  'file', 'host_device', 'host_cdrom', 'null-co', 'null-aio', 'nbd', 'nvme', 'iscsi', 'rbd', 'ssh', 'http', 'https',
  'ftp', 'ftps', 'gluster', 'nfs', 'io_uring', 'nvme-io_uring', 'vvfat', 'snapshot-access',
]);

export function driverClass(driver: string): NodeClass {
  if (DRIVER_FACTS[driver]?.isFilter === true || OTHER_FILTERS.has(driver)) return 'filter';
  if (FORMATS.has(driver)) return 'format';
  if (PROTOCOLS.has(driver)) return 'protocol';
  return 'other';
}

/** The filters and the child each filters through, for checks that run outside this tool (exported iotests). */
export function filteredChildren(): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [name, facts] of Object.entries(DRIVER_FACTS)) if (facts.isFilter && facts.filteredChild !== undefined) out.set(name, facts.filteredChild);
  return out;
}
