// Backing-chain navigation (bdrv_filter_bs, bdrv_cow_bs, bdrv_skip_filters, bdrv_find_overlay, ...).
import type { BlockNode } from './graph.ts';

/** The filtered child of a filter node. */
export function filterBs(n: BlockNode): BlockNode | undefined {
  return n.driver.isFilter ? n.children.find((e) => e.role.kind === 'filtered')?.child : undefined;
}

/** Where a request the node does not answer itself goes (the driver's requestChild: raw's file), else a filter's child. */
export function passThroughChild(n: BlockNode): BlockNode | undefined {
  return n.driver.requestChild ? n.driver.requestChild(n) : filterBs(n);
}

/** How far into passThroughChild the node's offset 0 lies (raw's offset). */
export function requestOffset(n: BlockNode): number {
  return n.driver.requestOffset?.(n) ?? 0;
}

/** `n` and the nodes a request at offset 0 on it passes on to: raw without an offset and filters hand it down. */
export function passThroughAtZero(n: BlockNode | undefined): BlockNode[] {
  const out: BlockNode[] = [];
  for (let c = n; c; c = requestOffset(c) !== 0 ? undefined : passThroughChild(c)) out.push(c);
  return out;
}

/** The COW backing child of a non-filter node. */
export function cowBs(n: BlockNode): BlockNode | undefined {
  return n.driver.isFilter ? undefined : n.children.find((e) => e.role.kind === 'cow')?.child;
}

export function filterOrCowBs(n: BlockNode): BlockNode | undefined {
  return filterBs(n) ?? cowBs(n);
}

export function skipFilters(n: BlockNode | undefined): BlockNode | undefined {
  let cur = n;
  while (cur && filterBs(cur)) cur = filterBs(cur);
  return cur;
}

export function skipImplicitFilters(n: BlockNode): BlockNode {
  let cur = n;
  while (cur.implicit && filterBs(cur)) cur = filterBs(cur)!;
  return cur;
}

/** bdrv_backing_chain_next: the next non-filter node down the chain. */
export function backingChainNext(n: BlockNode): BlockNode | undefined {
  const u = skipFilters(n);
  const c = u ? cowBs(u) : undefined;
  return skipFilters(c);
}

/** bdrv_chain_contains: is `base` reachable from `top` through filter and COW links (or equal)? */
export function chainContains(top: BlockNode, base: BlockNode | undefined): boolean {
  let cur: BlockNode | undefined = top;
  while (cur && cur !== base) cur = filterOrCowBs(cur);
  return cur !== undefined;
}

/** bdrv_find_backing_image by file name (the deprecated filename arguments of commit and stream). */
export function findBackingImage(start: BlockNode, filename: string): BlockNode | undefined {
  for (let n: BlockNode | undefined = filterOrCowBs(start); n; n = filterOrCowBs(n)) {
    if (skipFilters(n) === n && n.filename === filename) return n;
  }
  return undefined;
}

/** bdrv_find_overlay: the non-filter node whose next chain node is `bs` (undefined `bs`: the bottom). */
export function findOverlay(active: BlockNode, bs: BlockNode | undefined): BlockNode | undefined {
  const target = skipFilters(bs);
  let cur = skipFilters(active);
  while (cur) {
    const next = backingChainNext(cur);
    if (next === target) return cur;
    cur = next;
  }
  return undefined;
}
