// Copy-on-read's copy into a node (bdrv_co_do_copy_on_readv): what a copy-on-read filter's reads and a stream job
// copy up, a cluster at a time; all-zero clusters become zero writes.
import { allocatedAbove } from './allocated-above.ts';
import type { BlockEnv } from './block-env.ts';
import { passThroughChild } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';
import { readAt, writeAt } from './served-read.ts';
import { nodeStatus } from './served-status.ts';
import { isAllZero, isModelled } from '../images/bytes.ts';

/** bdrv_get_info's cluster size (what raw and filters pass requests to has); 0: none. */
export function infoCluster(n: BlockNode | undefined): number {
  if (!n) return 0;
  return n.driver.clusterSize ? n.driver.clusterSize(n) : infoCluster(passThroughChild(n));
}

/** Copy-on-read into `into`, a cluster at a time: what is allocated below it (down to `bottom`) but not in it. */
export function copyUp(env: BlockEnv, into: BlockNode, below: BlockNode | undefined, bottom: BlockNode | undefined, from: number, to: number): void {
  const cs = Math.max(infoCluster(into), 512);
  const end = Math.min(to, nodeLength(into));
  for (let c = Math.floor(from / cs) * cs; c < end; c += cs) {
    const n = Math.min(cs, nodeLength(into) - c);
    if (nodeStatus(env, into, false, c, n).allocated) continue;
    if (!allocatedAbove(env, below, bottom, c, n).allocated) continue;
    const r = readAt(env, into, c, n);
    if (r.kind !== 'bytes' || !isModelled(r.bytes)) continue;
    writeAt(env, into, c, isAllZero(r.bytes) ? { kind: 'zero', length: n } : { kind: 'data', bytes: r.bytes });
  }
}

