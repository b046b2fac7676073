// Driver hooks for what the impl follows of data: what a node reads (headers and zeros, never guest bytes), what block
// status says of it, and what a job's first writes into it do. Each absent hook has the generic block layer's answer,
// named where the core asks (core/read-content.ts, core/block-status.ts, core/chain.ts, jobs/mirror-first-pass.ts).
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import type { BytesRead, ReadResult } from '../core/read-content.ts';

/** bdrv_co_block_status at offset 0 ('first') or past the first block ('tail'): DATA, ZERO or neither. */
export type BlockStatus = 'data' | 'zero' | 'none';

export interface DriverData {
  /** A read of `request` bytes at offset 0. Absent: what a filter's filtered child reads; zeros for other nodes. */
  readonly read?: (env: BlockEnv, node: BlockNode, request: number) => ReadResult;
  /** The bytes [offset, offset + bytes) below the node's end, where modelled. Absent: a filter's filtered child's;
   * undefined (not modelled) for other nodes. */
  readonly bytesAt?: (env: BlockEnv, node: BlockNode, offset: number, bytes: number) => BytesRead;
  /** An offset from which `bytesAt` answers only zeros or not modelled, never a failure. Absent: the node's length
   * with `bytesAt`; without it a filter's filtered child's, and 0 for other nodes (nothing modelled). */
  readonly bytesEnd?: (env: BlockEnv, node: BlockNode) => number;
  /** Where requests the node does not answer itself go (raw's file: BDRV_BLOCK_RAW). Absent: a filter's filtered child. */
  readonly requestChild?: (node: BlockNode) => BlockNode | undefined;
  /** How far into the request child the node's offset 0 lies (raw's offset). Absent: 0. */
  readonly requestOffset?: (node: BlockNode) => number;
  /** The node has data of its own at offset 0 (block status ALLOCATED). Absent: the request child's answer; false
   * without one. */
  readonly allocated?: (node: BlockNode) => boolean;
  /** bdrv_co_block_status down the chain; `own`: the node's own layer only, not what its backing holds (below raw).
   * Absent: the request child's answer (with the same `own`); DATA without one. */
  readonly blockStatus?: (env: BlockEnv, node: BlockNode, at: 'first' | 'tail', own: boolean) => BlockStatus;
  /** Reads leave the caller's buffer as it was (null-co without read-zeroes). Absent: reads fill it. */
  readonly readsUninitialised?: (node: BlockNode) => boolean;
  /** Reads through the node go to bdrv_co_do_copy_on_readv (copy-on-read). */
  readonly copiesOnRead?: true;
  /** A job's first read of this format yields (qcow2 reads its refcounts, takes its lock): the command's reply gets
   * out before the job goes on. Absent: the job runs on before the reply. */
  readonly firstReadYields?: true;
  /** No bdrv_co_pwrite_zeroes but supported_zero_flags set (blkverify): a zero write asserts. */
  readonly zeroWriteAborts?: true;
  /** A write goes to every child, each checked on its own (blkverify). Absent: to the request child. */
  readonly writesEveryChild?: true;
  /** Zeroes over guest bytes [from, to), then data at `dataAt`: what that allocates in the image file (qcow2).
   * Absent: nothing the impl follows. */
  readonly allocate?: (env: BlockEnv, node: BlockNode, from: number, to: number, dataAt: readonly number[]) => void;
  /** The first write of a job into the node fails with EIO (a corruption, too few quorum children written). Absent:
   * it succeeds. */
  readonly firstWriteFails?: (env: BlockEnv, node: BlockNode) => boolean;
}
