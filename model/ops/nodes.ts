// blockdev-add, blockdev-del and block_resize.
import type { JsonObject } from '../../qmp/types.ts';
import { blocker, checkGraph, notBlocked } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, dropOrphans, removeBackends, removeNode } from '../edit.ts';
import { findNode, lookup, node, num, parentCount, str } from '../graph.ts';
import { openNode } from '../open.ts';
import { ALL, permSetOf } from '../perm-set.ts';
import { OK, fail, seq } from '../result.ts';
import type { Result } from '../result.ts';

export function blockdevAdd(d: Draft, args: JsonObject): Result {
  if (str(args, 'node-name') === undefined) return fail('invalid-param', "'node-name' must be specified for the root node");
  const r = openNode(d, args);
  if (!r.ok) return r;
  node(d, r.value).owned = true;
  return OK;
}

/** qmp_blockdev_del: only a monitor-owned node nobody uses. */
export function blockdevDel(d: Draft, args: JsonObject): Result {
  const name = str(args, 'node-name') ?? '';
  const n = findNode(d, name);
  if (!n) return fail('not-found', `Failed to find node with node-name='${name}'`);
  if (d.bbs.some((b) => b.child === name)) return fail('in-use', `Node ${name} is in use`);
  const busy = notBlocked(d, name, 'drive-del');
  if (!busy.ok) return busy;
  if (!n.owned) return fail('in-use', `Node ${name} is not owned by the monitor`);
  if (parentCount(d, name) > 0) return fail('in-use', `Block device ${name} is in use`);
  removeNode(d, name);
  dropOrphans(d);
  return OK;
}

/** bdrv_co_truncate: the driver resizes itself or hands it to a child; a read-only node refuses. */
export function truncate(d: Draft, name: string, size: number): Result {
  const n = node(d, name);
  if (n.readOnly) return fail('read-only', 'Image is read-only');
  const hook = driverFacts(n.driver).truncate;
  return hook ? hook(d, n, size, (child, sz) => truncate(d, child, sz)) : fail('unsupported', 'Image format driver does not support resize');
}

/** qmp_block_resize: a temporary BlockBackend takes resize on the node, then the driver truncates. */
export function blockResize(d: Draft, args: JsonObject): Result {
  const device = str(args, 'device');
  const n = lookup(d, str(args, 'node-name'), device ?? '');
  if (!n.ok) return n;
  const size = num(args, 'size') ?? 0;
  if (size < 0) return fail('invalid-param', "Parameter 'size' expects a >0 size");
  // an op blocker, reported with QERR_DEVICE_IN_USE's text
  if (blocker(d, n.value.name, 'resize') !== undefined) return fail('busy', `Device '${device ?? '(null)'}' is in use`);
  const bb = addBackend(d, n.value.name, permSetOf('resize'), ALL);
  const r = seq(() => checkGraph(d, [n.value.name]), () => truncate(d, n.value.name, size));
  removeBackends(d, [bb]);
  return r;
}
