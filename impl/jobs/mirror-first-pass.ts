// What the mirror's first pass does to its target beyond copying: header overwrites, corruption, zero-write asserts.
import type { BlockEnv } from '../core/block-env.ts';
import { QemuAbortError } from '../core/qemu-abort-error.ts';
import { passThroughAtZero, skipFilters } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { isInserted } from '../core/inserted.ts';
import { nodeLength } from '../core/length.ts';
import { FIRST_CHUNK } from '../core/block-status.ts';
import { hasPerm } from '../core/perm.ts';
import type { ReadResult } from '../core/read-content.ts';
import { allocateClusters, corruptOnAllocation, freeMetadataCluster } from '../drivers/qcow2-clusters.ts';
import type { ImageFile } from '../images/image-store.ts';
import { EIO, ENOMEDIUM, strerror } from './job.ts';
import type { RunOutcome } from './job.ts';

const SHORT_WRITE_ABORT = "qemu-storage-daemon: ../../block/io.c:1988: bdrv_co_write_req_prepare: Assertion `offset + bytes <= bs->total_sectors * BDRV_SECTOR_SIZE || child->perm & BLK_PERM_RESIZE' failed.\n";
const ZERO_WRITE_ABORT = "qemu-storage-daemon: ../../block/io.c:1908: bdrv_co_do_pwrite_zeroes: Assertion `!bs->supported_zero_flags' failed.\n";

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

function writeChunk(env: BlockEnv, target: BlockNode, pass: FirstPass, length: number, yields: boolean): RunOutcome | undefined {
  if (pass.writes === 'none') return pass.shortLayerEnd === undefined ? undefined : writeZeroTail(env, target, pass.shortLayerEnd, length);
  // blkverify has no bdrv_co_pwrite_zeroes but sets supported_zero_flags: a zero write on it asserts
  if ((pass.writes === 'zero' || pass.zeroTail) && passThroughAtZero(target).some((n) => n.driver.name === 'blkverify')) {
    // the tail's zero write follows the first chunk's read at once: before the reply unless the job yielded first
    if (pass.writes !== 'zero' && !yields && env.deferredAbort === undefined) throw new QemuAbortError(ZERO_WRITE_ABORT);
    env.deferredAbort ??= ZERO_WRITE_ABORT;
  }
  // blkverify writes both children: one shorter than the copy, whose edge has no resize perm, trips the write check
  if (pass.writes === 'data' && writesPastShortChild(target, pass.zeroTail ? Math.min(FIRST_CHUNK, length) : length)) env.deferredAbort ??= SHORT_WRITE_ABORT;
  const written = skipFilters(target);
  const failed = writeFails(env, written);
  if (failed) return failed;
  // zeroes read uniformly, so every chunk is a zero write on a qcow2 target (its L2 tables), except that
  // mirror_iteration copies a chunk shorter than the granularity (the target's cluster): the unaligned tail becomes
  // a data cluster. Data writes allocate as many data clusters as the source has data extents: not modelled
  if (pass.writes === 'zero' && written?.driver.name === 'qcow2' && written.state['driverGone'] !== true) {
    const granularity = Math.max(4096, Number(written.state['clusterSize'] ?? 65536));
    const aligned = length - (length % granularity);
    allocateClusters(env, written, 0, aligned, aligned < length ? [aligned] : []);
  }
  // a data write allocates a data cluster for each cluster it covers (and its L2 table): the first chunk's, and the
  // tail's when that is DATA too; a ZERO tail is zero writes (L2 tables only)
  if (pass.writes === 'data' && written?.driver.name === 'qcow2' && written.state['driverGone'] !== true) {
    const cs = Math.max(4096, Number(written.state['clusterSize'] ?? 65536));
    const dataEnd = pass.dataTail ? length : Math.min(length, FIRST_CHUNK);
    const at: number[] = [];
    for (let o = 0; o < dataEnd; o += cs) at.push(o);
    allocateClusters(env, written, pass.zeroTail ? dataEnd : 0, pass.zeroTail ? length : 0, at);
  }
  // offset 0 of an image file takes the source's first bytes: a header, or zeros
  const file = passThroughAtZero(target).find((n) => n.driver.name === 'file');
  const img = file ? env.images.read(file.filename ?? '') : undefined;
  const header = pass.writes === 'zero' ? { kind: 'raw' as const } : pass.read.kind === 'data' ? headerOf(pass.read.key) : undefined;
  // a source that is data all through is copied to the end: pwrite past a shrunk file's EOF extends it again
  const grown = pass.writes === 'data' && !pass.zeroTail && img !== undefined && img.length < length ? length : undefined;
  if (img && (header || grown !== undefined)) env.images.write({ ...img, ...(header ? { header } : {}), ...(grown !== undefined ? { length: grown } : {}) });
  return undefined;
}

/** Zeroes over [from, length) of the target, after the reply: what the first write into the target does, there. */
function writeZeroTail(env: BlockEnv, target: BlockNode, from: number, length: number): RunOutcome | undefined {
  if (passThroughAtZero(target).some((n) => n.driver.name === 'blkverify')) env.deferredAbort ??= ZERO_WRITE_ABORT;
  const written = skipFilters(target);
  const failed = writeFails(env, written);
  if (failed) return failed;
  if (written?.driver.name === 'qcow2' && written.state['driverGone'] !== true) allocateClusters(env, written, from, length);
  return undefined;
}

/** The first write into `written` fails the job: a qcow2 whose refcounts lie past EOF allocates an L2 table on its
 * metadata (qcow2_signal_corruption sets bs->drv = NULL), and a quorum fails below its threshold of children written. */
function writeFails(env: BlockEnv, written: BlockNode | undefined): RunOutcome | undefined {
  const fails = corruptsOnWrite(env, written) || (written?.driver.name === 'quorum' && quorumWriteFails(env, written));
  return fails ? { kind: 'failed', error: strerror(EIO), errno: EIO } : undefined;
}

/** A qcow2 cut below its refcounts allocates an L2 table on its metadata: the corruption clears bs->drv, the write fails. */
function corruptsOnWrite(env: BlockEnv, n: BlockNode | undefined): boolean {
  const hit = n ? freeMetadataCluster(env, n) : undefined;
  if (n && hit !== undefined) corruptOnAllocation(env, n, hit, true);
  return hit !== undefined;
}

/** quorum_co_pwritev on the first chunk: fewer children written than the vote threshold fails it. */
function quorumWriteFails(env: BlockEnv, q: BlockNode): boolean {
  const written = q.children.filter((c) => !corruptsOnWrite(env, skipFilters(c.child))).length;
  return written < Number(q.state['threshold'] ?? 1);
}

/** Does a write of [0, end) on `n` reach a child shorter than `end` over an edge without resize (bdrv_co_write_req_prepare)? */
function writesPastShortChild(n: BlockNode, end: number): boolean {
  const next = n.driver.name === 'blkverify' ? n.children : n.children.filter((e) => e.child === passThroughAtZero(n)[1]);
  return next.some((e) => (nodeLength(e.child) < end && !hasPerm(e.perm, 'resize')) || writesPastShortChild(e.child, end));
}

/** The header a content key stands for (readContent's keys); undefined for a read at an offset (not modelled). */
function headerOf(key: string): ImageFile['header'] | undefined {
  if (key === '') return { kind: 'raw' };
  const json = key.endsWith('}') && (key.startsWith('qcow2:') || key.startsWith('broken:'));
  return json ? (JSON.parse(key.slice(key.indexOf(':') + 1)) as ImageFile['header']) : undefined;
}
