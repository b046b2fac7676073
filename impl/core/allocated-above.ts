// bdrv_is_allocated_above(top, base_overlay, include_base = true): is the range allocated in some layer from `top`
// down to `bottom` (the whole chain without one), and for how many bytes that answer holds.
import type { BlockEnv } from './block-env.ts';
import { filterOrCowBs } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeStatus } from './served-status.ts';

export function allocatedAbove(env: BlockEnv, top: BlockNode | undefined, bottom: BlockNode | undefined, offset: number, bytes: number): { readonly allocated: boolean; readonly pnum: number } {
  let n = bytes;
  for (let p = top; p; p = p === bottom ? undefined : filterOrCowBs(p)) {
    const s = nodeStatus(env, p, false, offset, n);
    // a short layer: its synthesized zeros count as allocated there
    if (s.pnum === 0 || s.allocated) return { allocated: true, pnum: s.pnum === 0 ? n : s.pnum };
    n = s.pnum;
  }
  return { allocated: false, pnum: n };
}
