// mirror_start_job: mirror_top appended above the source, the job, its target BlockBackend and its edges.
import { insertBackend } from '../core/block-backend.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { chainContains, cowBs, filterOrCowBs, findOverlay, skipFilters } from '../core/chain.ts';
import { freezeChain } from '../core/freeze.ts';
import { nodeLength } from '../core/length.ts';
import { ALL_PERMS, NO_PERMS, union, R, W, U, S } from '../../qmp/perm-set.ts';
import { appendNode } from '../core/replace-node.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import { mirrorTop, setMirrorTopMode } from '../drivers/mirror-top.ts';
import { addJobEdge, createBlockJob } from './block-job.ts';
import { newFilterNode } from './internal-node.ts';
import type { BlockJob } from './job.ts';
import { MirrorImpl } from './mirror.ts';
import type { MirrorParams } from './mirror.ts';

/** mirror_start_job: everything up to job_start, inside the caller's transaction. */
export function startMirrorJob(env: BlockEnv, tx: Transaction, p: MirrorParams): Result<BlockJob> {
  const bs = p.source;
  const target = p.target;
  if (skipFilters(bs) === skipFilters(target)) return fail('invalid-param', "Can't mirror node into itself");
  const targetIsBacking = chainContains(bs, target);
  const mt = newFilterNode(env, tx, mirrorTop, p.filterNodeName, false);
  if (!mt.ok) return mt;
  // mirror_top has no getlength of its own: it copies the source's total_sectors
  mt.value.size = nodeLength(bs);
  setMirrorTopMode(mt.value, { isCommit: targetIsBacking, loosePerms: env.behaviour.quirks.has('mirror-top-loose-perms') });
  const appended = appendNode(env, tx, mt.value, bs);
  if (!appended.ok) return appended;
  const impl = new MirrorImpl(p, mt.value);
  const job = createBlockJob(env, tx, {
    id: p.jobId,
    type: p.type,
    mainNode: mt.value,
    perm: R,
    shared: union(R, union(W, U)),
    autoFinalize: p.autoFinalize,
    autoDismiss: p.autoDismiss,
    speed: p.speed,
    impl,
  });
  if (!job.ok) return job;
  let targetPerm = W;
  let targetShared = U;
  if (targetIsBacking) {
    if (nodeLength(target) < nodeLength(bs)) targetPerm = union(targetPerm, S);
    targetShared = union(targetShared, union(R, W));
  } else if (chainContains(bs, skipFilters(target))) {
    return fail('invalid-param', "Cannot mirror to a filter on top of a node in the source's backing chain");
  }
  const tb = insertBackend(env, tx, target, targetPerm, targetShared);
  if (!tb.ok) return tb;
  impl.targetBackend = tb.value;
  const src = addJobEdge(env, tx, job.value, 'source', bs, NO_PERMS, union(W, union(U, R)));
  if (!src.ok) return src;
  const tgt = addJobEdge(env, tx, job.value, 'target', target, NO_PERMS, ALL_PERMS);
  if (!tgt.ok) return tgt;
  if (targetIsBacking) {
    const overlay = findOverlay(bs, target);
    const filteredTarget = overlay ? cowBs(overlay) : undefined;
    let shared = union(U, W);
    for (let iter = filterOrCowBs(bs); iter && iter !== target; iter = filterOrCowBs(iter)) {
      if (iter === filteredTarget) shared = union(shared, R);
      const e = addJobEdge(env, tx, job.value, 'intermediate node', iter, NO_PERMS, shared);
      if (!e.ok) return e;
    }
    const f = freezeChain(tx, mt.value, target);
    if (!f.ok) return f;
  }
  return job;
}
