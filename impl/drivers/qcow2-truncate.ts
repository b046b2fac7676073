// qcow2_co_truncate as far as the impl follows image files: L1 growth, zeroing and discards that allocate (and may
// land on metadata a shorter file lost), the shrink's refcount rewrite, the header's new size.
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs } from '../core/chain.ts';
import { segfaultOf } from '../core/segfault.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { stateOf } from './driver-state.ts';
import { l2Coverage } from '../images/qcow2-layout.ts';
import { allocateClusters, corruptOnAllocation, freeMetadataCluster, shrinkFile } from './qcow2-clusters.ts';

export function qcow2Truncate(env: BlockEnv, node: BlockNode, size: number): Result<void> {
  // qcow2_co_truncate consults the dangling s->data_file before anything else: 7.2 segfaults or hangs (core-diff-62)
  if (env.danglingDataFile.has(node)) dieNow(segfaultOf('qcow2-dangling-data-file'));
  const { clusterSize } = stateOf(node, 'qcow2');
  if (size % 512 !== 0) return fail('invalid-param', 'The new size must be a multiple of 512');
  const old = nodeLength(node);
  // qcow2_co_truncate grows the L1 table, then (bdrv_co_truncate's BDRV_REQ_ZERO_WRITE, set when the backing
  // file is longer than the old size) zeroes the new clusters, which allocates the L2 table: either allocation
  // may land on a metadata cluster whose refcount lies past EOF, and the fatal corruption sets bs->drv = NULL
  const l1Entries = (n: number): number => Math.ceil(n / l2Coverage(clusterSize));
  const backing = cowBs(node);
  const zeroWrite = size > old && backing !== undefined && nodeLength(backing) > old;
  const growsL1 = l1Entries(size) > l1Entries(old);
  const hit = growsL1 || zeroWrite ? freeMetadataCluster(env, node) : undefined;
  if (hit !== undefined) {
    corruptOnAllocation(env, node, hit, !growsL1);
    return fail('io-error', `${growsL1 ? 'Failed to grow the L1 table' : 'Failed to zero out new clusters'}: Input/output error`);
  }
  if (size < old) {
    // qcow2_cluster_discard of the cropped clusters (discard_in_l2_slice) allocates their L2 tables first
    const discardFrom = Math.ceil(size / clusterSize) * clusterSize;
    if (discardFrom < old) {
      const cut = freeMetadataCluster(env, node);
      if (cut !== undefined) {
        corruptOnAllocation(env, node, cut, true);
        return fail('io-error', 'Failed to discard cropped clusters: Input/output error');
      }
      allocateClusters(env, node, discardFrom, old);
    }
    const shrunk = shrinkFile(env, node);
    if (shrunk) return shrunk;
  }
  // the zeroing starts at the old end rounded up to a subcluster (a cluster: no extended L2 entries modelled)
  const zeroStart = Math.ceil(old / clusterSize) * clusterSize;
  if (zeroWrite) allocateClusters(env, node, zeroStart, size);
  const img = env.images.read(node.filename ?? '');
  if (img && img.header.kind === 'qcow2') env.images.write({ ...img, header: { ...img.header, virtualSize: size } });
  node.size = size;
  return OK;
}
