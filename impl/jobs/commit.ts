// Intermediate commit (block/commit.c): commit_top above `top`, chain frozen, top..base dropped at prepare.
import { insertBackend, releaseBackend } from '../core/block-backend.ts';
import { detachChild } from '../core/attach.ts';
import { changeBackingFile } from '../core/backing-file.ts';
import { nodeFilename } from '../core/node-filename.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { chainContains, cowBs, filterOrCowBs, findOverlay, skipFilters, skipImplicitFilters } from '../core/chain.ts';
import { freezeChain, unfreezeChain } from '../core/freeze.ts';
import type { Backend, BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { ALL_PERMS, NO_PERMS, union, R, W, U, S } from '../../qmp/perm-set.ts';
import { replaceNode } from '../core/replace-node.ts';
import { appendNode } from '../core/replace-node.ts';
import { fail, ok, reportText } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { applyTx, inTransaction } from '../core/transaction.ts';
import type { Transaction } from '../core/transaction.ts';
import { commitTop } from '../drivers/commit-top.ts';
import { truncateNode } from '../core/truncate.ts';
import { reopenSetReadOnly } from '../reopen/reopen-multiple.ts';
import { addJobEdge, createBlockJob, releaseJobNode } from './block-job.ts';
import { EIO } from './errno.ts';
import type { BlockJob, JobImpl, RunOutcome, JobCommonParams } from './job.ts';
import { newFilterNode } from './internal-node.ts';
import { errorAbortOn, reportedThenDied } from '../core/deaths.ts';
import { dieAfterReply, dieNow } from '../core/qemu-dies.ts';
import { commitData } from './copy-data.ts';

export interface CommitParams extends JobCommonParams {
  readonly device: BlockNode;
  readonly top: BlockNode;
  readonly base: BlockNode;
  readonly backingFile: string | undefined;
}

const ENOTSUP = -95;

class CommitImpl implements JobImpl {
  chainFrozen = true;
  commitTop: BlockNode | undefined;
  baseBackend: Backend | undefined;
  topBackend: Backend | undefined;
  baseReadOnly = false;

  constructor(private readonly p: CommitParams) {}

  run(env: BlockEnv, job: BlockJob): RunOutcome {
    const len = nodeLength(this.p.top);
    job.len = len;
    // commit_run grows a shorter base to the top's length before copying
    if (nodeLength(this.p.base) < len) {
      const r = inTransaction(() => truncateNode(env, this.p.base, len, true));
      // the only truncate that fails here is a driver without resize (-ENOTSUP)
      if (!r.ok) return { kind: 'failed', error: 'Operation not supported', errno: ENOTSUP };
    }
    commitData(env, this.p.top, findOverlay(this.p.top, this.p.base), this.p.base);
    job.offset = len;
    return { kind: 'done' };
  }

  private dropBackend(env: BlockEnv, b: Backend | undefined): void {
    if (b) applyTx((tx) => releaseBackend(env, tx, b));
  }

  /** commit_prepare: unfreeze, drop the base BlockBackend, bdrv_drop_intermediate. */
  prepare(env: BlockEnv): number {
    const ct = this.commitTop;
    if (!ct) return EIO;
    applyTx((tx) => unfreezeChain(tx, ct, this.p.base));
    this.chainFrozen = false;
    this.dropBackend(env, this.baseBackend);
    this.baseBackend = undefined;
    return this.dropIntermediate(env, ct);
  }

  private dropIntermediate(env: BlockEnv, top: BlockNode): number {
    const base = this.p.base;
    if (!chainContains(top, base)) return EIO;
    const explicitTop = skipImplicitFilters(top);
    const updateInherits = inheritsFromRecursive(base, explicitTop);
    const backingFile = this.p.backingFile ?? nodeFilename(base);
    const updated = [...top.parents].reverse();
    const r = inTransaction((tx) => replaceNode(env, tx, top, base, { autoSkip: false }));
    if (!r.ok) return EIO;
    for (const c of updated) {
      if (c.role.kind !== 'cow' || c.parent.kind !== 'node') continue;
      const parent = c.parent.node;
      const ro = parent.readOnly;
      const rw = ro ? inTransaction((tx) => reopenSetReadOnly(env, tx, parent, false)) : ok(undefined);
      if (!rw.ok) {
        // error_report_err, then commit_abort touches commit_top, which the unref in drop_intermediate freed
        dieAfterReply(env, reportedThenDied(reportText(rw.error)));
        return EIO;
      }
      const ret = changeBackingFile(env, parent, backingFile, base.driver.name);
      if (ro) inTransaction((tx) => reopenSetReadOnly(env, tx, parent, true));
      if (ret < 0) return ret;
    }
    if (updateInherits) base.inheritsFrom = explicitTop.inheritsFrom;
    return 0;
  }

  /** commit_abort: drop commit_top again (QEMU asserts this cannot fail). */
  abort(env: BlockEnv, job: BlockJob): void {
    const ct = this.commitTop;
    if (!ct) return;
    if (this.chainFrozen) applyTx((tx) => unfreezeChain(tx, ct, this.p.base));
    this.dropBackend(env, this.baseBackend);
    applyTx((tx) => releaseJobEdgesOnly(env, tx, job));
    const below = ct.children[0]?.child;
    if (below) {
      const r = inTransaction((tx) => replaceNode(env, tx, ct, below, { autoSkip: true }));
      if (!r.ok) dieNow(errorAbortOn(r.error, env.inJobExit));
    }
  }

  /** commit_clean: base back to read-only, top BlockBackend released, commit_top freed. */
  clean(env: BlockEnv): void {
    // quirk commit-keeps-base-rw ("Block: readonly changes"): the base was never made read-only again
    if (this.baseReadOnly && !env.behaviour.quirks.has('commit-keeps-base-rw')) inTransaction((tx) => reopenSetReadOnly(env, tx, this.p.base, true));
    this.dropBackend(env, this.topBackend);
    const ct = this.commitTop;
    if (ct && ct.parents.length === 0) {
      applyTx((tx) => {
        for (const e of [...ct.children]) detachChild(env, tx, e);
        env.graph.nodes.delete(ct.name);
        ct.closed = true;
      });
    }
  }

  free(env: BlockEnv, job: BlockJob): void {
    applyTx((tx) => releaseJobNode(env, tx, job));
  }
}

function releaseJobEdgesOnly(env: BlockEnv, tx: Transaction, job: BlockJob): void {
  for (const e of [...job.parent.edges]) detachChild(env, tx, e);
}

function inheritsFromRecursive(child: BlockNode | null, parent: BlockNode): boolean {
  let c = child;
  while (c && c !== parent) c = c.inheritsFrom;
  return c !== null;
}

/** commit_start, inside the caller's transaction. */
export function startCommitJob(env: BlockEnv, tx: Transaction, p: CommitParams): Result<BlockJob> {
  if (skipFilters(p.top) === skipFilters(p.base)) return fail('invalid-param', 'Invalid files for merge: top and base are the same');
  const basePerms = nodeLength(p.base) < nodeLength(p.top) ? union(R, union(W, S)) : union(R, W);
  const impl = new CommitImpl(p);
  const job = createBlockJob(env, tx, {
    id: p.jobId,
    type: 'commit',
    mainNode: p.device,
    perm: NO_PERMS,
    shared: ALL_PERMS,
    autoFinalize: p.autoFinalize,
    autoDismiss: p.autoDismiss,
    speed: p.speed,
    impl,
  });
  if (!job.ok) return job;
  impl.baseReadOnly = p.base.readOnly;
  if (impl.baseReadOnly) {
    const r = reopenSetReadOnly(env, tx, p.base, false);
    if (!r.ok) return r;
  }
  const ct = newFilterNode(env, tx, commitTop, p.filterNodeName, true);
  if (!ct.ok) return ct;
  // commit_top has no getlength of its own: it copies top's total_sectors
  ct.value.size = nodeLength(p.top);
  const appended = appendNode(env, tx, ct.value, p.top);
  if (!appended.ok) return appended;
  impl.commitTop = ct.value;
  const overlay = findOverlay(p.top, p.base);
  const filteredBase = overlay ? cowBs(overlay) : undefined;
  let shared = union(U, W);
  for (let iter: BlockNode | undefined = p.top; iter && iter !== p.base; iter = filterOrCowBs(iter)) {
    if (iter === filteredBase) shared = union(shared, R);
    const e = addJobEdge(env, tx, job.value, 'intermediate node', iter, NO_PERMS, shared);
    if (!e.ok) return e;
  }
  const f = freezeChain(tx, ct.value, p.base);
  if (!f.ok) return f;
  const be = addJobEdge(env, tx, job.value, 'base', p.base, NO_PERMS, ALL_PERMS);
  if (!be.ok) return be;
  const bb = insertBackend(env, tx, p.base, basePerms, union(R, U));
  if (!bb.ok) return bb;
  impl.baseBackend = bb.value;
  const tb = insertBackend(env, tx, p.top, NO_PERMS, ALL_PERMS);
  if (!tb.ok) return tb;
  impl.topBackend = tb.value;
  return ok(job.value);
}
