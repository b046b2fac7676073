// What the mirror's first pass does to its target beyond copying: header overwrites, corruption, zero-write asserts.
import type { BlockEnv } from '../core/block-env.ts';
import { passThroughAtZero, skipFilters } from '../core/chain.ts';
import { headerWritten } from '../core/content.ts';
import { DEATHS } from '../core/deaths.ts';
import type { BlockNode } from '../core/graph.ts';
import { isInserted } from '../core/inserted.ts';
import { nodeLength } from '../core/length.ts';
import { FIRST_CHUNK } from '../core/block-status.ts';
import { hasPerm } from '../../qmp/perm-set.ts';
import { dieAfterReply, dieNow } from '../core/qemu-dies.ts';
import type { ReadResult } from '../core/read-content.ts';
import { EIO, ENOMEDIUM, strerror } from './errno.ts';
import type { RunOutcome } from './job.ts';

export interface FirstPass {
  readonly read: ReadResult;
  readonly writes: 'data' | 'zero' | 'none';
  /** Chunks past the first block read as ZERO (a raw image's hole): the iteration writes zeroes there. */
  readonly zeroTail: boolean;
  /** Chunks past the first block are DATA too: the iteration copies them. */
  readonly dataTail: boolean;
  /** Where a shorter layer of the copied chain ends: the rest is dirty and written as zeroes. */
  readonly shortLayerEnd: number | undefined;
}

/** Applies the first chunk's write to `target`, then the flush before READY; a failed outcome fails the job. */
export function writeFirstChunk(env: BlockEnv, target: BlockNode, pass: FirstPass, length: number, yields: boolean): RunOutcome | undefined {
  const failed = writeChunk(env, target, pass, length, yields);
  if (failed) return failed;
  // blk_co_do_flush refuses a target that is not inserted: a node below it lost its driver (a quorum child the write corrupted)
  return isInserted(target) ? undefined : { kind: 'failed', error: strerror(ENOMEDIUM), errno: ENOMEDIUM };
}

/** The node below `target` a write lands in (filters passed), if it is one whose writes allocate (qcow2's clusters). */
function allocating(target: BlockNode): BlockNode | undefined {
  const written = skipFilters(target);
  return written?.driver.allocate !== undefined && !written.driverGone ? written : undefined;
}

const zeroWriteAborts = (target: BlockNode): boolean => passThroughAtZero(target).some((n) => n.driver.zeroWriteAborts === true);

function writeChunk(env: BlockEnv, target: BlockNode, pass: FirstPass, length: number, yields: boolean): RunOutcome | undefined {
  if (pass.writes === 'none') return pass.shortLayerEnd === undefined ? undefined : writeZeroTail(env, target, pass.shortLayerEnd, length);
  if ((pass.writes === 'zero' || pass.zeroTail) && zeroWriteAborts(target)) {
    // the tail's zero write follows the first chunk's read at once: before the reply unless the job yielded first
    if (pass.writes !== 'zero' && !yields && env.dyingAfterReply === undefined) dieNow(DEATHS.zeroWriteWithFlags);
    dieAfterReply(env, DEATHS.zeroWriteWithFlags);
  }
  // blkverify writes both children: one shorter than the copy, whose edge has no resize perm, trips the write check
  if (pass.writes === 'data' && writesPastShortChild(target, pass.zeroTail ? Math.min(FIRST_CHUNK, length) : length)) dieAfterReply(env, DEATHS.writePastShortChild);
  const failed = writeFails(env, skipFilters(target));
  if (failed) return failed;
  const written = allocating(target);
  // zeroes read uniformly, so every chunk is a zero write on a qcow2 target (its L2 tables), except that
  // mirror_iteration copies a chunk shorter than the granularity (the target's cluster): the unaligned tail becomes
  // a data cluster. Data writes allocate as many data clusters as the source has data extents: not modelled
  if (pass.writes === 'zero' && written) {
    const granularity = Math.max(4096, written.driver.clusterSize?.(written) ?? 0);
    const aligned = length - (length % granularity);
    written.driver.allocate?.(env, written, 0, aligned, aligned < length ? [aligned] : []);
  }
  // a data write allocates a data cluster for each cluster it covers (and its L2 table): the first chunk's, and the
  // tail's when that is DATA too; a ZERO tail is zero writes (L2 tables only)
  if (pass.writes === 'data' && written) {
    const cs = Math.max(4096, written.driver.clusterSize?.(written) ?? 0);
    const dataEnd = pass.dataTail ? length : Math.min(length, FIRST_CHUNK);
    const at: number[] = [];
    for (let o = 0; o < dataEnd; o += cs) at.push(o);
    written.driver.allocate?.(env, written, pass.zeroTail ? dataEnd : 0, pass.zeroTail ? length : 0, at);
  }
  // offset 0 of an image file takes the source's first bytes: a header, or zeros
  const file = passThroughAtZero(target).find((n) => n.driver.isProtocol && n.filename !== undefined);
  const img = file ? env.images.read(file.filename ?? '') : undefined;
  const header = pass.writes === 'zero' ? { kind: 'raw' as const } : pass.read.kind === 'data' ? headerWritten(pass.read.content) : undefined;
  // a source that is data all through is copied to the end: pwrite past a shrunk file's EOF extends it again
  const grown = pass.writes === 'data' && !pass.zeroTail && img !== undefined && img.length < length ? length : undefined;
  if (img && (header || grown !== undefined)) env.images.write({ ...img, ...(header ? { header } : {}), ...(grown !== undefined ? { length: grown } : {}) });
  return undefined;
}

/** Zeroes over [from, length) of the target, after the reply: what the first write into the target does, there. */
function writeZeroTail(env: BlockEnv, target: BlockNode, from: number, length: number): RunOutcome | undefined {
  if (zeroWriteAborts(target)) dieAfterReply(env, DEATHS.zeroWriteWithFlags);
  const failed = writeFails(env, skipFilters(target));
  if (failed) return failed;
  const written = allocating(target);
  if (written) written.driver.allocate?.(env, written, from, length, []);
  return undefined;
}

/** The first write into `written` fails the job (a qcow2 whose refcounts lie past EOF, a quorum short of its threshold). */
function writeFails(env: BlockEnv, written: BlockNode | undefined): RunOutcome | undefined {
  const fails = written?.driver.firstWriteFails?.(env, written) === true;
  return fails ? { kind: 'failed', error: strerror(EIO), errno: EIO } : undefined;
}

/** Does a write of [0, end) on `n` reach a child shorter than `end` over an edge without resize (bdrv_co_write_req_prepare)? */
function writesPastShortChild(n: BlockNode, end: number): boolean {
  const next = n.driver.writesEveryChild === true ? n.children : n.children.filter((e) => e.child === passThroughAtZero(n)[1]);
  return next.some((e) => (nodeLength(e.child) < end && !hasPerm(e.perm, 'resize')) || writesPastShortChild(e.child, end));
}
