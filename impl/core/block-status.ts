// What bdrv_co_block_status answers for the first block and past it, and where it runs out below filters and raw.
import type { BlockEnv } from './block-env.ts';
import { cowBs, passThroughChild } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';

/** qemu-img writes a raw image's first 4 KiB (allocate_first_block): a mirror copies that whole first 64 KiB chunk,
 * so the hole after it only shows as ZERO in the chunks past it. */
export const FIRST_CHUNK = 65536;

/** bdrv_co_block_status down the whole chain, at offset 0 or past the first block: a backing-less qcow2 reads as ZERO, null-co as neither. */
export function blockStatus(env: BlockEnv, node: BlockNode, at: 'first' | 'tail', own = false): 'data' | 'zero' | 'none' {
  switch (node.driver.name) {
    case 'file': {
      // qemu-img writes a raw image's first block (allocate_first_block), the rest is a hole; a qcow2 file is all written
      const img = at === 'tail' ? env.images.read(node.filename ?? '') : undefined;
      return img?.header.kind === 'raw' && img.length > FIRST_CHUNK ? 'zero' : 'data';
    }
    case 'null-co':
      return node.options['read-zeroes'] === true ? 'zero' : 'none';
    case 'quorum':
      // quorum_co_block_status: ZERO only when every child says ZERO
      return node.children.every((c) => blockStatus(env, c.child, at) === 'zero') ? 'zero' : 'data';
    case 'qcow2': {
      const b = cowBs(node);
      // an unallocated cluster over a backing file: its own status is neither; only the walk above goes down to it
      return b ? (own ? 'none' : blockStatus(env, b, at)) : 'zero';
    }
    default: {
      // BDRV_BLOCK_RAW hands raw's request to its file's own status (measured: a qcow2 below raw stops the walk)
      const c = passThroughChild(node);
      return c ? blockStatus(env, c, at, own || node.driver.name === 'raw') : 'data';
    }
  }
}

/** Where bdrv_co_block_status hands a request on: a filter at the same offset, raw (BDRV_BLOCK_RAW) shifted by its offset. */
function statusBelow(n: BlockNode): { readonly node: BlockNode; readonly shift: number } | undefined {
  const c = passThroughChild(n);
  return c ? { node: c, shift: n.driver.name === 'raw' ? Number(n.state['offset'] ?? 0) : 0 } : undefined;
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
