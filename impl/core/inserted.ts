// bdrv_is_inserted: a node has a medium when it has a driver and every child has one; a fatal qcow2 corruption
// (bs->drv = NULL) takes it away from the node and everything above it.
import type { BlockNode } from './graph.ts';

export function isInserted(n: BlockNode): boolean {
  return !n.driverGone && n.children.every((c) => isInserted(c.child));
}
