// Mirror jobs (block/mirror.c) once started: the first pass, completion's pivot, mirror_exit_common (mirror-start.ts creates them).
import { releaseBackend } from '../core/block-backend.ts';
import { detachChild, trySetEdgePerm } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { canReplaceBelow } from '../core/can-replace.ts';
import { chainContains, cowBs, findOverlay, passThroughAtZero, skipFilters } from '../core/chain.ts';
import { blockStatusRunsShort } from '../core/block-status.ts';
import { copiedTailExit, mirrorPass } from '../core/read-content.ts';
import { unfreezeChain } from '../core/freeze.ts';
import { blockAll, unblockAll } from '../core/op-blockers.ts';
import type { Backend, BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { childPerms } from '../core/refresh.ts';
import { replaceNode } from '../core/replace-node.ts';
import { OK, fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { applyTx, inTransaction } from '../core/transaction.ts';
import { truncateNode } from '../core/truncate.ts';
import { writeFirstChunk } from './mirror-first-pass.ts';
import { reopenSetReadOnly } from '../reopen/reopen-multiple.ts';
import { releaseJobNode, removeJobEdges } from './block-job.ts';
import { EINVAL, EIO, EPERM, strerror } from './errno.ts';
import type { BlockJob, JobImpl, RunOutcome, JobCommonParams } from './job.ts';
import { DEATHS, errorAbortOn } from '../core/deaths.ts';
import { dieAfterReply, dieNow } from '../core/qemu-dies.ts';
import { stopMirrorTop } from '../drivers/mirror-top.ts';
import { setBackingHd } from './stream.ts';
import { openBacking } from '../core/open-backing.ts';
import { openChildFrom } from '../core/open-node.ts';
import { mirrorData } from './copy-data.ts';

export interface MirrorParams extends JobCommonParams {
  readonly type: 'mirror' | 'commit';
  readonly source: BlockNode;
  readonly target: BlockNode;
  readonly replaces: string | undefined;
  readonly isNoneMode: boolean;
  /** sync=top's base, or the active commit's base. */
  readonly base: BlockNode | undefined;
  /** sync=full asks for a zeroed target: without cheap zero-writes the whole disk counts as dirty. */
  readonly zeroTarget: boolean;
  /** drive-mirror: at completion point the target at the source's chain, or open its own backing file. */
  readonly backingMode: 'leave' | 'source-chain' | 'open-chain';
}

const GRANULARITY = 65536;

export class MirrorImpl implements JobImpl {
  shouldComplete = false;
  toReplace: BlockNode | undefined;
  private prepared = false;

  /** The target's BlockBackend, inserted once the job exists. */
  targetBackend: Backend = { id: 0, name: '', edges: [] };

  constructor(
    private readonly p: MirrorParams,
    private readonly top: BlockNode,
  ) {}

  run(env: BlockEnv, job: BlockJob): RunOutcome {
    const src = this.top.children[0]?.child;
    const target = this.targetBackend.edges[0]?.child;
    if (!src || !target) return { kind: 'failed', error: 'mirror lost its nodes', errno: EINVAL };
    const bdev = nodeLength(src);
    const tlen = nodeLength(target);
    if (this.p.base === target) {
      if (bdev > tlen) {
        const r = inTransaction(() => truncateNode(env, target, bdev, true));
        if (!r.ok) return { kind: 'failed', error: r.error.message, errno: EPERM };
      }
    } else if (bdev !== tlen) {
      return { kind: 'failed', error: 'Source and target image have different sizes', errno: EINVAL };
    }
    // mirror_dirty_init scans allocation unless the whole target counts as dirty; a short filter child stops it dead
    // a qcow2 source yields first (its scan, or its lock held by the first chunk's read): the reply gets out
    const yields = skipFilters(src)?.driver.firstReadYields === true;
    if (!this.p.isNoneMode && !this.p.zeroTarget && blockStatusRunsShort(src)) {
      // the scan yields only where qcow2 first reads its refcounts; without that QEMU dies before it replies
      if (!yields) dieNow(DEATHS.mirrorScanEmpty);
      dieAfterReply(env, DEATHS.mirrorScanEmpty, true);
    }
    // with the whole target dirty the copy reaches that end too: a copy-on-read filter on the way hands its reads to
    // bdrv_co_do_copy_on_readv, which finds no block status past it
    if (!this.p.isNoneMode && this.p.zeroTarget && blockStatusRunsShort(src) && passThroughAtZero(src).some((n) => n.driver.copiesOnRead === true)) {
      if (!yields) dieNow(DEATHS.copyOnReadShort);
      dieAfterReply(env, DEATHS.copyOnReadShort);
    }
    // the first pass copies what is dirty (all of it for a zeroed target, else what is allocated down to the base),
    // a granularity at a time; sync=none copies only new writes
    const last = this.p.base ? findOverlay(src, this.p.base) : undefined;
    const pass = this.p.isNoneMode ? undefined : mirrorPass(env, src, last, Math.min(GRANULARITY, bdev), this.p.zeroTarget);
    if (pass?.read.kind === 'eio') return { kind: 'failed', error: strerror(EIO), errno: EIO };
    if (pass?.read.kind === 'exit') dieAfterReply(env, pass.read.death);
    // with the whole target dirty, chunks where the source's block status runs short are copied
    if (pass && this.p.zeroTarget && blockStatusRunsShort(src)) {
      const exit = copiedTailExit(env, src, GRANULARITY);
      if (exit !== undefined) dieAfterReply(env, exit);
    }
    const written = pass ? writeFirstChunk(env, target, pass, bdev, yields) : undefined;
    if (written) return written;
    if (!this.p.isNoneMode) mirrorData(env, src, target, { zeroTarget: this.p.zeroTarget, base: this.p.base, baseOverlay: last });
    // sync=full zeroes the whole target first, and that counts as progress
    job.len = this.p.zeroTarget ? bdev : 0;
    job.offset = job.len;
    return { kind: 'ready' };
  }

  complete(env: BlockEnv, job: BlockJob): Result<void> {
    if (job.status !== 'ready' && job.status !== 'standby') return fail('job-state', `The active block job '${job.id}' cannot be completed`);
    if (this.p.replaces !== undefined) {
      // a second completion before the first took effect sets s->replace_blocker again: error_setg asserts
      if (this.toReplace) dieNow(DEATHS.errorSetTwice);
      const n = env.graph.nodes.get(this.p.replaces);
      // the node `replaces` named was deleted while the job ran
      if (!n) return fail('not-found', `Node name '${this.p.replaces}' not found`);
      this.toReplace = n;
      blockAll(n, 'block device is in use by block-job-complete');
    }
    this.shouldComplete = true;
    return OK;
  }

  drainedSource(job: BlockJob): BlockNode | undefined {
    return job.status === 'pending' ? this.p.source : undefined;
  }

  cancel(job: BlockJob, force: boolean): boolean {
    // before READY every cancel is a force-cancel
    return force || (job.status !== 'ready' && job.status !== 'standby');
  }

  prepare(env: BlockEnv, job: BlockJob): number {
    return this.exitCommon(env, job, false);
  }

  abort(env: BlockEnv, job: BlockJob): void {
    this.exitCommon(env, job, true);
  }

  free(env: BlockEnv, job: BlockJob): void {
    inTransaction((tx) => {
      releaseJobNode(env, tx, job);
      return ok(undefined);
    });
  }

  /** mirror_exit_common: release the target, pivot if completing, always drop mirror_top. */
  private exitCommon(env: BlockEnv, job: BlockJob, abort: boolean): number {
    if (this.prepared) return 0;
    this.prepared = true;
    const mt = this.top;
    const src = mt.children[0]?.child;
    const target = this.targetBackend.edges[0]?.child;
    if (!src || !target) return EPERM;
    let ret = 0;
    applyTx((tx) => {
      if (chainContains(src, target)) unfreezeChain(tx, mt, target);
      releaseBackend(env, tx, this.targetBackend);
      stopMirrorTop(mt);
    });
    const backing = mt.children[0];
    if (backing) {
      const p = childPerms(mt, backing.child, backing.name, backing.role);
      const r = inTransaction((tx) => trySetEdgePerm(env, tx, backing, p.perm, p.shared));
      if (!r.ok) dieNow(errorAbortOn(r.error, env.inJobExit));
    }
    if (!abort && this.p.backingMode === 'source-chain') {
      const backingTarget = this.p.isNoneMode ? src : this.p.base;
      const unfiltered = skipFilters(target);
      if (unfiltered && cowBs(unfiltered) !== backingTarget) {
        const r = inTransaction((tx) => setBackingHd(env, tx, unfiltered, backingTarget));
        if (!r.ok) ret = EPERM;
      }
    } else if (!abort && this.p.backingMode === 'open-chain') {
      const unfiltered = skipFilters(target);
      if (unfiltered) {
        const r = inTransaction((tx) => openBacking(env, tx, unfiltered, undefined, (v, role) => openChildFrom(env, tx, unfiltered, v, role)));
        if (!r.ok) ret = EPERM;
      }
    }
    if (this.shouldComplete && !abort) {
      const toReplace = this.toReplace ?? src;
      if (toReplace.readOnly !== target.readOnly) inTransaction((tx) => reopenSetReadOnly(env, tx, target, toReplace.readOnly));
      if (canReplaceBelow(src, toReplace)) {
        const r = inTransaction((tx) => replaceNode(env, tx, toReplace, target, { autoSkip: true }));
        if (!r.ok) ret = EPERM;
      } else {
        ret = EPERM;
      }
    }
    if (this.toReplace) unblockAll(this.toReplace);
    applyTx((tx) => removeJobEdges(env, tx, job));
    const below = mt.children[0]?.child;
    if (below) {
      const r = inTransaction((tx) => replaceNode(env, tx, mt, below, { autoSkip: true }));
      if (!r.ok) dieNow(errorAbortOn(r.error, env.inJobExit));
    }
    applyTx((tx) => {
      for (const e of [...mt.children]) detachChild(env, tx, e);
      env.graph.nodes.delete(mt.name);
      mt.closed = true;
    });
    return ret;
  }
}
