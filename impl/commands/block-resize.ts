// block_resize: a temporary BlockBackend takes resize on the node, then truncates (qmp_block_resize).
import { insertBackend, releaseBackend } from '../core/block-backend.ts';
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { lookupBs } from '../core/lookup.ts';
import { isFirstNonFilter } from '../core/first-non-filter.ts';
import { blockerReason } from '../core/op-blockers.ts';
import { ALL_PERMS, permSet } from '../../qmp/perm-set.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { truncateNode } from '../core/truncate.ts';
import { BDRV_MAX_LENGTH } from '../core/length.ts';
import { int, opt, req, str } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

const SCHEMA = [opt('device', str), opt('node-name', str), req('size', int)];

export function blockResize(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const device = typeof args['device'] === 'string' ? args['device'] : undefined;
  const nodeName = typeof args['node-name'] === 'string' ? args['node-name'] : undefined;
  const found = lookupBs(env, device, nodeName);
  if (!found.ok) return found;
  const node = found.value;
  // quirk first-non-filter-only (before "block: Allow resizing everywhere")
  if (env.behaviour.quirks.has('first-non-filter-only') && !isFirstNonFilter(env, node)) {
    return fail('unsupported', "The feature 'resize' is not enabled");
  }
  const size = Number(args['size']);
  if (size < 0) return fail('invalid-param', "Parameter 'size' expects a >0 size");
  // an op blocker, reported with QERR_DEVICE_IN_USE's text
  if (blockerReason(node, 'resize') !== undefined) return fail('busy', `Device '${device ?? '(null)'}' is in use`);
  return inTransaction((tx) => {
    const backend = insertBackend(env, tx, node, permSet('resize'), ALL_PERMS);
    if (!backend.ok) return backend;
    // bdrv_co_truncate's bdrv_check_request, before the driver is asked; the exact digits, however large
    if (size > BDRV_MAX_LENGTH) return fail('invalid-param', `offset(${String(args['size'])}) exceeds maximum(${BigInt(BDRV_MAX_LENGTH)})`);
    const r = truncateNode(env, node, size);
    if (!r.ok) return r;
    releaseBackend(env, tx, backend.value);
    return OK;
  });
}
