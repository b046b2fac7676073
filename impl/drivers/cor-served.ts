// copy-on-read's reads: what is allocated below its file node (down to `bottom`) but not in it is read and written
// back into it a cluster at a time (bdrv_co_do_copy_on_readv): zeroes as a zero write, anything else as data.
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs, filterBs, filterOrCowBs, passThroughChild } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { readAt, writeAt } from '../core/served-read.ts';
import { allocatedLocally, nodeStatus } from '../core/served-status.ts';
import { isAllZero, isModelled, zeros } from '../images/bytes.ts';
import type { DriverServed } from './driver-served.ts';
import { stateOf } from './driver-state.ts';

/** bdrv_get_info's cluster size of the node copied into (what raw and filters pass requests to has); 0: none. */
function clusterOf(n: BlockNode | undefined): number {
  if (!n) return 0;
  return n.driver.clusterSize ? n.driver.clusterSize(n) : clusterOf(passThroughChild(n));
}

/** Allocated in some layer from `from` down to `bottom` (all the way without one). */
function allocatedBelow(env: BlockEnv, from: BlockNode | undefined, bottom: BlockNode | undefined, offset: number, bytes: number): boolean {
  for (let p = from; p; p = p === bottom ? undefined : filterOrCowBs(p)) {
    const s = nodeStatus(env, p, false, offset, bytes);
    if (s.pnum === 0 || s.allocated) return true;
  }
  return false;
}

export const corServed: DriverServed = {
  readAt(env, node, offset, length) {
    const file = filterBs(node);
    if (!file) return { kind: 'bytes', bytes: zeros(length) };
    const name = stateOf(node, 'copy-on-read').bottom;
    const bottom = name !== undefined ? env.graph.nodes.get(name) : undefined;
    const cs = Math.max(clusterOf(file), 512);
    const end = Math.min(offset + length, nodeLength(file));
    for (let c = Math.floor(offset / cs) * cs; c < end; c += cs) {
      const n = Math.min(cs, nodeLength(file) - c);
      if (allocatedLocally(env, file, c, n).allocated || !allocatedBelow(env, cowBs(file), bottom, c, n)) continue;
      const r = readAt(env, file, c, n);
      if (r.kind !== 'bytes' || !isModelled(r.bytes)) continue;
      writeAt(env, file, c, isAllZero(r.bytes) ? { kind: 'zero', length: n } : { kind: 'data', bytes: r.bytes });
    }
    return readAt(env, file, offset, length);
  },
};
