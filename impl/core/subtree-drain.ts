// bdrv_subtree_drained_begin/end in 7.2: a drained root quiesces its whole subtree, following later edge changes.
import type { BlockNode } from './graph.ts';
import { DEATHS } from './deaths.ts';
import { dieNow } from './qemu-dies.ts';

/** Is `node` the root of, or below, one of the drained `roots` (in the graph as it is now)? */
export function inDrainedSubtree(node: BlockNode, roots: readonly BlockNode[]): boolean {
  const seen = new Set<BlockNode>();
  const stack = [...roots];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n === node) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const c of n.children) stack.push(c.child);
  }
  return false;
}

/** Does a node in `root`'s subtree hold one child through two edges (a quorum listing it twice)? */
function holdsChildTwice(root: BlockNode): boolean {
  const seen = new Set<BlockNode>();
  const stack = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (seen.has(n)) continue;
    seen.add(n);
    const kids = n.children.map((c) => c.child);
    if (new Set(kids).size < kids.length) return true;
    stack.push(...kids);
  }
  return false;
}

/**
 * Cutting an edge out of a drained subtree unapplies the drain below it (bdrv_unapply_subtree_drain); with a child
 * held twice down there, the final drained_end ends one parent's quiesce too often and QEMU asserts.
 */
export function checkCutFromDrain(cut: readonly BlockNode[]): void {
  if (cut.some(holdsChildTwice)) dieNow(DEATHS.parentQuiesceUnderflow);
}
