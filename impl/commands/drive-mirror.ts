// drive-mirror (qmp_drive_mirror): create or open the target image file, then mirror to it.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs, skipFilters, skipImplicitFilters } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { openNode } from '../core/open-node.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import { imageFileFromSpec } from '../images/memory.ts';
import { startMirrorJob } from '../jobs/mirror-start.ts';
import { QAPI_DRIVER_NAMES, driverByName } from '../drivers/registry.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, enumOf, int, opt, req, str as strT, uint32 } from '../qapi/schema.ts';
import { MIRROR_SYNC, mirrorParams } from './blockdev-mirror.ts';
import { launchJob, rootBs, str } from './job-args.ts';

const ON_ERROR = enumOf('report', 'ignore', 'enospc', 'stop', 'auto');
const SCHEMA = [
  opt('job-id', strT), req('device', strT), req('target', strT), opt('format', strT), opt('node-name', strT), opt('replaces', strT),
  req('sync', MIRROR_SYNC), opt('mode', enumOf('existing', 'absolute-paths')), opt('speed', int), opt('granularity', uint32),
  opt('buf-size', int), opt('on-source-error', ON_ERROR), opt('on-target-error', ON_ERROR), opt('unmap', bool),
  opt('copy-mode', enumOf('background', 'write-blocking')), opt('auto-finalize', bool), opt('auto-dismiss', bool),
];

/** bdrv_img_create: a fresh image as qemu-img would make it (an existing file is overwritten). */
function createImage(env: BlockEnv, filename: string, format: string, size: number, backing?: { file: string; format: string }): Result<void> {
  if (!QAPI_DRIVER_NAMES.includes(format)) return fail('invalid-param', `Unknown file format '${format}'`);
  if (format !== 'qcow2' && format !== 'raw') return fail('unsupported', `Image format '${format}' is not supported by bgcheck`);
  env.images.write(
    imageFileFromSpec({ filename, format, size, ...(backing ? { backing: backing.file, backing_fmt: backing.format } : {}) }),
  );
  return { ok: true, value: undefined };
}

function openTarget(env: BlockEnv, tx: Transaction, filename: string, format: string | undefined, nodeName: string | undefined): Result<BlockNode> {
  const img = env.images.read(filename);
  const probed = img?.header.kind === 'qcow2' || (img?.header.kind === 'broken-qcow2' && img.header.probesAsQcow2);
  const driver = format ?? (probed ? 'qcow2' : 'raw');
  const opts: JsonObject = {
    driver,
    ...(nodeName !== undefined ? { 'node-name': nodeName } : {}),
    file: { driver: 'file', filename },
    // the mirror takes care of the backing chain (BDRV_O_NO_BACKING)
    ...(driverByName(driver)?.supportsBacking === true ? { backing: null } : {}),
  };
  return openNode(env, tx, opts);
}

export function driveMirror(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const bs = rootBs(env, String(args['device']));
  if (!bs.ok) return bs;
  const blocked = checkNotBlocked(bs.value, 'mirror-source');
  if (!blocked.ok) return blocked;
  const mode = str(args, 'mode') ?? 'absolute-paths';
  const format = str(args, 'format') ?? (mode === 'existing' ? undefined : bs.value.driver.name);
  let sync = String(args['sync']);
  let targetBacking = cowBs(skipFilters(bs.value) ?? bs.value);
  if (!targetBacking && sync === 'top') sync = 'full';
  if (sync === 'none') targetBacking = bs.value;
  const size = nodeLength(bs.value);
  if (args['replaces'] !== undefined && args['node-name'] === undefined) {
    return fail('invalid-param', 'a node-name must be provided when replacing a named node of the graph');
  }
  const target = String(args['target']);
  if ((sync === 'full' || !targetBacking) && mode !== 'existing') {
    const c = createImage(env, target, format ?? 'raw', size);
    if (!c.ok) return c;
  } else if (mode === 'absolute-paths' && targetBacking) {
    const explicit = skipImplicitFilters(targetBacking);
    const c = createImage(env, target, format ?? 'raw', size, { file: explicit.filename ?? '', format: explicit.driver.name });
    if (!c.ok) return c;
  }
  const isNew = mode !== 'existing';
  return launchJob(env, (tx) => {
    const t = openTarget(env, tx, target, format, str(args, 'node-name'));
    if (!t.ok) return t;
    // a freshly created qcow2 reads as zeroes already; an existing one has to be zeroed
    const zeroTarget = sync === 'full' && (!isNew || t.value.driver.hasZeroInit !== true);
    const p = mirrorParams(env, { ...args, sync }, bs.value, t.value, { backingMode: isNew ? 'source-chain' : 'open-chain', zeroTarget });
    if (!p.ok) return p;
    return startMirrorJob(env, tx, p.value);
  });
}
