// stream_run's first copy: what the chain below the device holds, read back up through the device itself.
import { cowBs, filterOrCowBs, passThroughChild } from '../core/chain.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { allocated } from '../core/block-status.ts';
import { readContent } from '../core/read-content.ts';
import type { ReadResult } from '../core/read-content.ts';

/** bdrv_get_info's cluster size: the driver's own (qcow2), else what raw and filters pass requests to has; 0 at the bottom. */
function infoClusterSize(n: BlockNode | undefined): number {
  if (!n) return 0;
  return n.driver.clusterSize ? n.driver.clusterSize(n) : infoClusterSize(passThroughChild(n));
}

/**
 * The first chunk: copied when a node below the unfiltered device down to the base overlay is allocated, as far as
 * the shortest layer on the way reaches (block status clips at each layer's end). The copy-on-read filter reads it
 * through the device, rounded to the device's clusters (bdrv_co_do_copy_on_readv): a blkverify there compares it.
 * Undefined: nothing to copy.
 */
export function streamFirstCopy(env: BlockEnv, device: BlockNode, unfiltered: BlockNode, baseOverlay: BlockNode, chunk: number): ReadResult | undefined {
  let extent = Math.min(chunk, nodeLength(unfiltered));
  let copy = false;
  for (let n = cowBs(unfiltered); n && !copy; n = n === baseOverlay ? undefined : filterOrCowBs(n)) {
    extent = Math.min(extent, nodeLength(n));
    copy = allocated(n);
  }
  if (!copy) return undefined;
  // the chunk is sized by the chain below, the read by the device: past the device's end blk_check_byte_request says EIO
  if (extent > nodeLength(device)) return { kind: 'eio' };
  const cluster = infoClusterSize(device);
  const read = readContent(env, device, cluster > 0 ? Math.ceil(extent / cluster) * cluster : extent);
  // copy-on-read writes the chunk back: a zero buffer as a zero write (a qcow2's L2 table), anything else as data
  // (a cluster for each it covers; the file grows)
  const allocate = unfiltered.driver.allocate;
  if (read.kind === 'data' && allocate && !unfiltered.driverGone) {
    const cs = unfiltered.driver.clusterSize?.(unfiltered) ?? 0;
    const zeros = read.content.kind === 'zeros';
    const at: number[] = [];
    if (!zeros && cs > 0) for (let o = 0; o < extent; o += cs) at.push(o);
    allocate(env, unfiltered, 0, zeros ? nodeLength(unfiltered) : 0, at);
  }
  return read;
}
