// What reads return (content.ts): each driver's `read` hook, filters passing reads down; and the mirror's first pass,
// which reads what block status calls DATA.
import type { BlockEnv } from './block-env.ts';
import { filterBs, filterOrCowBs } from './chain.ts';
import { ZEROS } from './content.ts';
import type { Content } from './content.ts';
import type { Death } from './deaths.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';
import { allocated, blockStatus, blockStatusEnd } from './block-status.ts';

/** A read of `request` bytes at offset 0: data, EIO (a quorum vote without a winner), or QEMU dies (blkverify's exit). */
export type ReadResult =
  | { readonly kind: 'data'; readonly content: Content }
  | { readonly kind: 'eio' }
  | { readonly kind: 'exit'; readonly death: Death };

/** Bytes read at an offset where modelled (undefined: not modelled), or a read that failed or killed QEMU. */
export type BytesRead = Uint8Array | ReadResult | undefined;

export const data = (content: Content): ReadResult => ({ kind: 'data', content });

export function readContent(env: BlockEnv, node: BlockNode, request: number): ReadResult {
  if (node.driver.read) return node.driver.read(env, node, request);
  const f = filterBs(node);
  return f ? readContent(env, f, request) : data(ZEROS);
}

/** The bytes a read of [offset, offset + bytes) returns; past a node's end reads are zeros (bdrv_aligned_preadv). */
export function bytesAt(env: BlockEnv, node: BlockNode, offset: number, bytes: number): BytesRead {
  if (offset >= nodeLength(node)) return new Uint8Array(bytes);
  if (node.driver.bytesAt) return node.driver.bytesAt(env, node, offset, bytes);
  const f = filterBs(node);
  return f ? bytesAt(env, f, offset, bytes) : undefined;
}

/** Past this offset every `bytesAt` of the node reads zeros or nothing modelled: no blkverify below it can differ. */
export function bytesEnd(env: BlockEnv, node: BlockNode): number {
  const len = nodeLength(node);
  const d = node.driver;
  return Math.min(len, d.bytesAt ? (d.bytesEnd?.(env, node) ?? len) : bytesEndBelow(env, filterBs(node)));
}

export const bytesEndBelow = (env: BlockEnv, node: BlockNode | undefined): number => (node ? bytesEnd(env, node) : 0);

/**
 * The mirror's first pass over a dirty chunk (mirror_iteration): bdrv_block_status_above(source, NULL) says DATA
 * (read and copy), ZERO (write zeroes) or neither (discard, a no-op without discard=unmap): what the target gets.
 */
export function mirrorPass(
  env: BlockEnv,
  from: BlockNode,
  last: BlockNode | undefined,
  request: number,
  everything: boolean,
): { read: ReadResult; writes: 'data' | 'zero' | 'none'; zeroTail: boolean; dataTail: boolean; shortLayerEnd: number | undefined } {
  let dirty = everything;
  for (let n: BlockNode | undefined = from; n && !dirty; n = n === last ? undefined : filterOrCowBs(n)) dirty = allocated(n);
  const status = dirty ? blockStatus(env, from, 'first') : 'none';
  const tail = dirty ? blockStatus(env, from, 'tail') : 'none';
  // past the end of a shorter layer down to `last` the zeros it synthesizes count as allocated there (dirty, ZERO)
  let shortLayerEnd: number | undefined;
  for (let n = from === last ? undefined : filterOrCowBs(from); n; n = n === last ? undefined : filterOrCowBs(n)) {
    if (nodeLength(n) < Math.min(nodeLength(from), shortLayerEnd ?? Infinity)) shortLayerEnd = nodeLength(n);
  }
  return { read: status === 'data' ? readContent(env, from, request) : data(ZEROS), writes: status, zeroTail: tail === 'zero', dataTail: tail === 'data', shortLayerEnd };
}

/**
 * mirror_iteration past blockStatusEnd: block status answers 0 bytes, so each granularity chunk is copied (read
 * through `src`). The first read that makes a blkverify exit, in offset order; QEMU issues these reads together,
 * so when several chunks mismatch, which one it reports depends on which read completes first.
 */
export function copiedTailExit(env: BlockEnv, src: BlockNode, granularity: number): Death | undefined {
  // chunks past the bytes modelled read zeros from every child: none can exit (a 1 GiB null-co is 16,384 chunks)
  const len = nodeLength(src);
  const end = Math.min(len, bytesEnd(env, src));
  const from = Math.max(granularity, Math.floor(blockStatusEnd(src) / granularity) * granularity);
  for (let off = from; off < end; off += granularity) {
    const r = bytesAt(env, src, off, Math.min(granularity, len - off));
    if (r !== undefined && !(r instanceof Uint8Array) && r.kind === 'exit') return r.death;
  }
  return undefined;
}
