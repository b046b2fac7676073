// block-stream (block/stream.c): a copy-on-read filter above the device, backing re-pointed at prepare.
import { insertBackend, releaseBackend } from '../core/block-backend.ts';
import { detachChild } from '../core/attach.ts';
import { changeBackingFile } from '../core/backing-file.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs, filterBs, filterOrCowBs, findOverlay, skipFilters } from '../core/chain.ts';
import { checkChainNotFrozen } from '../core/freeze.ts';
import type { Backend, BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { nodeFilename } from '../core/node-filename.ts';
import { openNode } from '../core/open-node.ts';
import { ALL_PERMS, NO_PERMS, union, R, W, U } from '../../qmp/perm-set.ts';
import { replaceNode } from '../core/replace-node.ts';
import { fail, ok, prefixError } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { COW, FILTERED_PRIMARY } from '../core/role.ts';
import { attachChildNoPerm } from '../core/attach.ts';
import { detachEdge } from '../core/graph-edit.ts';
import { refreshPerms } from '../core/refresh.ts';
import { applyTx, inTransaction } from '../core/transaction.ts';
import type { Transaction } from '../core/transaction.ts';
import { reopenSetReadOnly } from '../reopen/reopen-multiple.ts';
import { addJobEdge, createBlockJob, releaseJobNode, removeJobEdges as releaseJobEdges } from './block-job.ts';
import { EIO, EPERM, strerror } from './errno.ts';
import { streamFirstCopy } from './stream-read.ts';
import { streamData } from './copy-data.ts';
import { checkCutFromDrain } from '../core/subtree-drain.ts';
import type { BlockJob, JobImpl, RunOutcome, JobCommonParams } from './job.ts';
import { errorAbortOn } from '../core/deaths.ts';
import { dieAfterReply, dieNow } from '../core/qemu-dies.ts';
import { holdsBottom, releaseBottom } from '../drivers/copy-on-read.ts';

export interface StreamParams extends JobCommonParams {
  readonly device: BlockNode;
  readonly base: BlockNode | undefined;
  readonly bottom: BlockNode | undefined;
  readonly backingFile: string | undefined;
}

const STREAM_CHUNK = 512 * 1024;

/** bdrv_cor_filter_drop: unfreeze, then bdrv_drop_filter (parents move down, the link is cut). */
function dropCorFilter(env: BlockEnv, cor: BlockNode): void {
  releaseBottom(env, cor);
  const below = filterBs(cor);
  if (!below) return;
  const r = inTransaction((tx) => replaceNode(env, tx, cor, below, { autoSkip: true, detachSubchain: true }));
  if (!r.ok) dieNow(errorAbortOn(r.error, env.inJobExit));
}

class StreamImpl implements JobImpl {
  cor: BlockNode | undefined;
  backend: Backend | undefined;
  readOnly = false;

  constructor(
    private readonly p: StreamParams,
    private readonly baseOverlay: BlockNode,
    private readonly aboveBase: BlockNode,
  ) {}

  run(env: BlockEnv, job: BlockJob): RunOutcome {
    const unfiltered = skipFilters(this.p.device);
    // stream_run copies what the chain below the device holds down to the base overlay, STREAM_CHUNK at a time
    const read = unfiltered && unfiltered !== this.baseOverlay ? streamFirstCopy(env, this.p.device, unfiltered, this.baseOverlay, STREAM_CHUNK) : undefined;
    if (read?.kind === 'eio') return { kind: 'failed', error: strerror(EIO), errno: EIO };
    if (read?.kind === 'exit') dieAfterReply(env, read.death, true);
    if (unfiltered && unfiltered !== this.baseOverlay) streamData(env, unfiltered, this.baseOverlay);
    if (unfiltered !== this.baseOverlay) {
      job.len = this.cor ? nodeLength(this.cor) : 0;
      job.offset = job.len;
    }
    return { kind: 'done' };
  }

  prepare(env: BlockEnv): number {
    if (this.cor) dropCorFilter(env, this.cor);
    const unfiltered = skipFilters(this.p.device);
    const base = filterOrCowBs(this.aboveBase);
    const unfilteredBase = skipFilters(base);
    if (!unfiltered || !cowBs(unfiltered)) return 0;
    const baseId = unfilteredBase ? (this.p.backingFile ?? nodeFilename(unfilteredBase)) : undefined;
    const baseFmt = unfilteredBase?.driver.name;
    const old = cowBs(unfiltered);
    const r = inTransaction((tx) => setBackingHd(env, tx, unfiltered, base));
    // stream_prepare drains above_base's subtree: when that is the device, its old backing is cut from the drain
    if (this.aboveBase === unfiltered && old) checkCutFromDrain([old]);
    const ret = changeBackingFile(env, unfiltered, baseId, baseFmt);
    return r.ok ? ret : EPERM;
  }

  clean(env: BlockEnv, job: BlockJob): void {
    if (this.cor && holdsBottom(this.cor)) dropCorFilter(env, this.cor);
    const b = this.backend;
    if (b) applyTx((tx) => releaseBackend(env, tx, b));
    if (this.readOnly) inTransaction((tx) => reopenSetReadOnly(env, tx, this.p.device, true));
    // fix stream-drops-job-edges: 7.2 keeps an edge to the freed filter until dismiss (job-stream-19..21 crash)
    if (env.behaviour.fixes.has('stream-drops-job-edges')) applyTx((tx) => releaseJobEdges(env, tx, job));
  }

  free(env: BlockEnv, job: BlockJob): void {
    applyTx((tx) => {
      releaseJobNode(env, tx, job);
      const cor = this.cor;
      if (cor && cor.parents.length === 0 && !cor.closed) {
        for (const e of [...cor.children]) detachChild(env, tx, e);
        env.graph.nodes.delete(cor.name);
        cor.closed = true;
      }
    });
  }
}

/** bdrv_set_backing_hd: replace the COW child (or drop it), then refresh. */
export function setBackingHd(env: BlockEnv, tx: Transaction, node: BlockNode, backing: BlockNode | undefined): Result<void> {
  const old = node.children.find((e) => e.name === 'backing');
  if (old?.frozen) return fail('frozen', `Cannot change frozen 'backing' link from '${node.name}' to '${old.child.name}'`);
  if (old) detachEdge(env, tx, old);
  if (backing) {
    const a = attachChildNoPerm(env, tx, node, backing, 'backing', node.driver.isFilter ? FILTERED_PRIMARY : COW);
    if (!a.ok) return a;
  }
  return refreshPerms(tx, env.graph, old ? [node, old.child] : [node]);
}

/** The stream job's BlockBackend as 7.2 leaves it after a failed start: [R/RWU] on the device. */
function leakBackend(env: BlockEnv, device: BlockNode): void {
  inTransaction((tx) => insertBackend(env, tx, device, R, union(R, union(U, W))));
}

/** stream_start, inside the caller's transaction. */
export function startStreamJob(env: BlockEnv, tx: Transaction, p: StreamParams, residue: (fn: () => void) => void = () => undefined): Result<BlockJob> {
  const bs = p.device;
  let baseOverlay: BlockNode;
  let aboveBase: BlockNode;
  if (p.bottom) {
    baseOverlay = aboveBase = p.bottom;
  } else {
    const o = findOverlay(bs, p.base);
    if (!o) return fail('invalid-param', `'${p.base?.name ?? ''}' is not in the backing chain of '${bs.name}'`);
    baseOverlay = o;
    aboveBase = o;
    if (cowBs(aboveBase) !== p.base) {
      aboveBase = cowBs(aboveBase) ?? aboveBase;
      while (filterBs(aboveBase) && filterBs(aboveBase) !== p.base) aboveBase = filterBs(aboveBase)!;
    }
  }
  const impl = new StreamImpl(p, baseOverlay, aboveBase);
  impl.readOnly = bs.readOnly;
  // stream_start's fail path, run after the transaction's rollback: the BlockBackend leak (from the
  // BlockBackend's creation on), then the device reopened read-only again (its error ignored), so nodes below
  // it inherit read-only anew instead of getting back what they had before the read-write reopen
  let leaks = false;
  let reopensBack = false;
  residue(() => {
    if (leaks) leakBackend(env, bs);
    // the read-write reopen stays in QEMU (the rollback undid it here): redone, then the read-only one, which may fail
    if (reopensBack && inTransaction((t) => reopenSetReadOnly(env, t, bs, false)).ok) inTransaction((t) => reopenSetReadOnly(env, t, bs, true));
  });
  if (impl.readOnly) {
    // the chain is held frozen while the device is reopened read-write
    const held = checkChainNotFrozen(bs, aboveBase);
    if (!held.ok) return held;
    const r = reopenSetReadOnly(env, tx, bs, false);
    if (!r.ok) return r;
    reopensBack = true;
  }
  const opts = {
    driver: 'copy-on-read',
    file: bs.name,
    bottom: baseOverlay.name,
    ...(p.filterNodeName !== undefined ? { 'node-name': p.filterNodeName } : {}),
  };
  const cor = openNode(env, tx, opts);
  if (!cor.ok) return prefixError(cor, 'Could not create node: ');
  if (p.filterNodeName === undefined) cor.value.implicit = true;
  const moved = replaceNode(env, tx, bs, cor.value, { autoSkip: true });
  if (!moved.ok) return prefixError(moved, 'Could not replace node: ');
  impl.cor = cor.value;
  const job = createBlockJob(env, tx, {
    id: p.jobId,
    type: 'stream',
    mainNode: cor.value,
    perm: NO_PERMS,
    shared: ALL_PERMS,
    autoFinalize: p.autoFinalize,
    autoDismiss: p.autoDismiss,
    speed: p.speed,
    impl,
  });
  if (!job.ok) return job;
  const bb = insertBackend(env, tx, cor.value, R, union(R, union(U, W)));
  if (!bb.ok) return bb;
  impl.backend = bb.value;
  // 7.2 leaks this BlockBackend when the start fails from here on: dropping the filter moves it to the device
  leaks = true;
  const active = addJobEdge(env, tx, job.value, 'active node', bs, NO_PERMS, union(R, union(U, W)));
  if (!active.ok) return active;
  const base = filterOrCowBs(aboveBase);
  for (let iter = filterOrCowBs(bs); iter && iter !== base; iter = filterOrCowBs(iter)) {
    const e = addJobEdge(env, tx, job.value, 'intermediate node', iter, NO_PERMS, union(R, U));
    if (!e.ok) return e;
  }
  return ok(job.value);
}
