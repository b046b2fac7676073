// status-extents-aligned — NBD protocol (extents are multiples of the advertised minimum block size) and block/io.c
// bdrv_co_block_status (a driver answers whole request_alignment blocks): every extent of a node's block status starts
// and ends on the node's request alignment (blkdebug's `align`), except the last one, which ends at end of file.
import { extentsOf, nodeNamed, observed, requestAlignment } from './served-steps.ts';
import type { Invariant, Violation } from './invariant.ts';

export const statusExtentsAligned: Invariant = {
  kind: 'history',
  name: 'status-extents-aligned',
  source: 'NBD protocol BLOCK_STATUS / NBD_INFO_BLOCK_SIZE; block/io.c bdrv_co_block_status',
  check(steps): Violation[] {
    const step = steps[steps.length - 1];
    const o = step ? observed(step) : undefined;
    if (!step || !o || o.kind !== 'observe-block-status') return [];
    const n = nodeNamed(step.after, o.node);
    const align = n ? requestAlignment(n) : 1;
    if (!n || align <= 1) return [];
    const xs = extentsOf(o.value);
    const bad = xs.find((e, i) => e.start % align !== 0 || (i < xs.length - 1 && (e.start + e.length) % align !== 0));
    if (!bad) return [];
    const where = bad.start % align !== 0 ? 'start' : 'end';
    return [{ message: `${n.driver} node '${n.name}' (align ${align}) serves an extent at ${bad.start}+${bad.length}, not on its request alignment`, key: `${n.driver}:align-${align}:${where}` }];
  },
};
