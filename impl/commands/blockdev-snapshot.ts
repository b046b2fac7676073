// blockdev-snapshot (external_snapshot_prepare/commit): the overlay takes the node's place, node goes read-only.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { lookupBs } from '../core/lookup.ts';
import { isFirstNonFilter } from '../core/first-non-filter.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { appendNode } from '../core/replace-node.ts';
import { cowBs } from '../core/chain.ts';
import { hasPerm } from '../../qmp/perm-set.ts';
import { cumulativePerms } from '../core/refresh.ts';
import { OK, fail } from '../core/result.ts';
import { segfaultOf } from '../core/segfault.ts';
import { dieNow } from '../core/qemu-dies.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { reopenSetReadOnly } from '../reopen/reopen-multiple.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { req, str } from '../qapi/schema.ts';

export function blockdevSnapshot(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, [req('node', str), req('overlay', str)], '');
  if (!v.ok) return v;
  const nodeName = String(args['node']);
  const old = lookupBs(env, nodeName, nodeName);
  if (!old.ok) return old;
  const blocked = checkNotBlocked(old.value, 'external-snapshot');
  if (!blocked.ok) return blocked;
  // quirk first-non-filter-only (before "block: Allow external snapshots everywhere")
  if (env.behaviour.quirks.has('first-non-filter-only') && !isFirstNonFilter(env, old.value)) {
    return fail('unsupported', "The feature 'snapshot' is not enabled");
  }
  const overlayName = String(args['overlay']);
  const overlay = lookupBs(env, overlayName, overlayName);
  if (!overlay.ok) return overlay;
  const ov = overlay.value;
  // parents that only write (a mirror target) may keep the overlay; readers would see a changed image
  if (hasPerm(cumulativePerms(ov).perm, 'consistent-read')) return fail('in-use', 'The overlay is already in use');
  // new_bs->drv->is_filter on a qcow2 whose corruption cleared bs->drv: a NULL dereference
  if (ov.driverGone) dieNow(segfaultOf('driver-gone'));
  if (ov.driver.isFilter) return fail('invalid-param', 'Filters cannot be used as overlays');
  if (cowBs(ov)) return fail('invalid-param', 'The overlay already has a backing image');
  if (!ov.driver.supportsBacking) return fail('unsupported', 'The overlay does not support backing images');
  const r = inTransaction((tx) => appendNode(env, tx, ov, old.value));
  if (!r.ok) return r;
  // the commit step reopens the old node read-only; its failure is ignored
  inTransaction((tx) => reopenSetReadOnly(env, tx, old.value, true));
  return OK;
}
