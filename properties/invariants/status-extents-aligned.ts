// status-extents-aligned — NBD protocol (extents are multiples of the advertised minimum block size) and block/io.c
// bdrv_co_block_status (a driver answers whole request_alignment blocks): every extent of a node's block status starts
// and ends on the node's request alignment (blkdebug's `align`), except the last one, which ends at end of file.
import { extentsOf, lastObservation, nodeNamed, requestAlignment } from './served-steps.ts';
import type { Invariant, Violation } from './invariant.ts';

export const statusExtentsAligned: Invariant = {
  kind: 'history',
  name: 'status-extents-aligned',
  source: 'NBD protocol BLOCK_STATUS / NBD_INFO_BLOCK_SIZE; block/io.c bdrv_co_block_status',
  check(steps): Violation[] {
    const last = lastObservation(steps, 'observe-block-status');
    if (!last) return [];
    const { step, seen: o } = last;
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
