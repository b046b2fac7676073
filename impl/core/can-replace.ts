// bdrv_recurse_can_replace: may `toReplace` be swapped without changing what `node` shows?
import type { BlockNode } from './graph.ts';

export function canReplaceBelow(node: BlockNode, toReplace: BlockNode): boolean {
  if (node === toReplace) return true;
  if (node.driver.recurseCanReplace) return node.driver.recurseCanReplace(node, toReplace);
  const filtered = node.driver.isFilter ? node.children.find((e) => e.role.kind === 'filtered')?.child : undefined;
  return filtered ? canReplaceBelow(filtered, toReplace) : false;
}
