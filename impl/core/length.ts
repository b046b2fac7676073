// bdrv_getlength: a driver may derive its size from its children; the default is the stored size.
import type { BlockNode } from './graph.ts';

export function nodeLength(n: BlockNode): number {
  if (n.driver.length) return n.driver.length(n);
  if (n.driver.isFilter) {
    const f = n.children.find((e) => e.role.kind === 'filtered');
    if (f) return nodeLength(f.child);
  }
  return n.size;
}
