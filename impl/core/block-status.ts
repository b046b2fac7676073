// What bdrv_co_block_status answers for the first block and past it, and where it runs out below filters and raw.
import type { BlockStatus } from '../drivers/driver-data.ts';
import type { BlockEnv } from './block-env.ts';
import { passThroughChild, requestOffset } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';

/** qemu-img writes a raw image's first 4 KiB (allocate_first_block): a mirror copies that whole first 64 KiB chunk,
 * so the hole after it only shows as ZERO in the chunks past it. */
export const FIRST_CHUNK = 65536;

/** bdrv_co_block_status for a node without data of its own: raw and filters answer for the child they pass reads to. */
export function allocated(node: BlockNode): boolean {
  if (node.driver.allocated) return node.driver.allocated(node);
  const c = passThroughChild(node);
  return c ? allocated(c) : false;
}

/** bdrv_co_block_status down the whole chain, at offset 0 or past the first block (the drivers' blockStatus hooks). */
export function blockStatus(env: BlockEnv, node: BlockNode, at: 'first' | 'tail', own = false): BlockStatus {
  if (node.driver.blockStatus) return node.driver.blockStatus(env, node, at, own);
  const c = passThroughChild(node);
  return c ? blockStatus(env, c, at, own) : 'data';
}

/** Where bdrv_co_block_status hands a request on: a filter at the same offset, raw (BDRV_BLOCK_RAW) shifted by its offset. */
function statusBelow(n: BlockNode): { readonly node: BlockNode; readonly shift: number } | undefined {
  const c = passThroughChild(n);
  return c ? { node: c, shift: requestOffset(n) } : undefined;
}

/** Where bdrv_co_block_status down from `top` first answers 0 bytes: the node on the way that ends soonest. */
export function blockStatusEnd(top: BlockNode): number {
  let end = nodeLength(top);
  let shift = 0;
  for (let b = statusBelow(top); b; b = statusBelow(b.node)) {
    shift += b.shift;
    end = Math.min(end, nodeLength(b.node) - shift);
  }
  return end;
}

/** A node below `top` (filters, raw) ends before `top` does: block status answers 0 bytes there. */
export function blockStatusRunsShort(top: BlockNode): boolean {
  return blockStatusEnd(top) < nodeLength(top);
}
