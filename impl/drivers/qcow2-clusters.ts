// qcow2 image files as allocations see them: where new clusters land, the corruption an allocation onto metadata
// causes, and what shrinking rewrites.
import type { BlockEnv } from '../core/block-env.ts';
import { passThroughAtZero } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { nodeLength } from '../core/length.ts';
import { roundUpToSector } from './common.ts';
import { stateOf } from './driver-state.ts';
import { l2Coverage, metadataClusters } from '../images/qcow2-layout.ts';

/**
 * Fresh images keep their refcounts two clusters in (cluster 0 the header, 1 the refcount table, 2 its block, then
 * the L1 table): an image file cut before a metadata cluster's 16-bit entry reads it as zero, so the first
 * allocation (qcow2_alloc_clusters) lands on that cluster. Returns its index, undefined when the refcounts are whole.
 */
export function freeMetadataCluster(env: BlockEnv, n: BlockNode): number | undefined {
  if (n.driver.name !== 'qcow2' || n.readOnly) return undefined;
  // a reopen swapped bs->file for a raw image: every refcount reads as zero, the first allocation takes cluster 0
  const end = filePath(n).at(-1);
  const now = end?.driver.name === 'file' ? end.filename : undefined;
  if (zeroRefcountsBelow(n) || (now !== undefined && now !== n.filename && env.images.read(now)?.header.kind === 'raw')) return 0;
  const img = env.images.read(n.filename ?? '');
  if (img?.header.kind !== 'qcow2') return undefined;
  const { clusterSize } = stateOf(n, 'qcow2');
  const metadata = metadataClusters(img.header.virtualSize, clusterSize);
  const refblock = 2 * clusterSize;
  if (img.length >= refblock + 2 * metadata) return undefined;
  return Math.max(0, Math.floor((img.length - refblock) / 2));
}

/** The image file a read at offset 0 through `n` lands in: raw (unshifted) and filters pass it on. */
export function imageFilename(n: BlockNode): string | undefined {
  const end = passThroughAtZero(n).at(-1);
  return end?.driver.name === 'file' ? end.filename : undefined;
}

const OVERLAPS = ['qcow2_header', 'refcount table', 'refcount block'];

/**
 * qcow2_signal_corruption's notice for an allocation at metadata cluster `index`: l2_allocate refuses offset 0
 * itself; anything else is caught by qcow2_pre_write_overlap_check when the new table is written.
 */
export function corruptionNotice(index: number, l2: boolean): string {
  const what =
    l2 && index === 0
      ? 'Preventing invalid allocation of L2 table at offset 0'
      : `Preventing invalid write on metadata (overlaps with ${OVERLAPS[index] ?? 'active L1 table'})`;
  return `qcow2: Marking image as corrupt: ${what}; further corruption events will be suppressed\n`;
}

/**
 * qcow2_signal_corruption for an allocation at metadata cluster `hit` (freeMetadataCluster): bs->drv = NULL. Unless
 * l2_allocate refused offset 0 itself, the refcount cache was flushed first: the refcount block (cluster 2) is
 * written whole, so a file cut before its end (but after the refcount table's entry) grows back to three clusters.
 */
export function corruptOnAllocation(env: BlockEnv, node: BlockNode, hit: number, l2: boolean): void {
  node.driverGone = true;
  env.stderrLog += corruptionNotice(hit, l2);
  if (l2 && hit === 0) return;
  const path = filePath(node);
  const file = path.at(-1);
  const img = file?.driver.name === 'file' ? env.images.read(file.filename ?? '') : undefined;
  // with the refcount table itself cut, update_refcount has no block to write (alloc_refcount_block)
  const cs = img?.header.kind === 'qcow2' ? img.header.clusterSize : 0;
  if (!img || cs === 0 || img.length < cs + 8 || img.length >= 3 * cs) return;
  const length = 3 * cs;
  env.images.write({ ...img, length });
  for (const n of path) n.size = Math.max(n.size, length);
}

/**
 * Refcounts read through bs->file as zeros without an image file to show it: a null-co there (a reopen swapped it
 * in), or a format node (a blockdev-snapshot overlay) whose guest data ends before the refcount block.
 */
function zeroRefcountsBelow(n: BlockNode): boolean {
  const end = filePath(n).at(-1);
  return end?.driver.name === 'null-co' || (end?.driver.isFormat === true && nodeLength(end) < 2 * stateOf(n, 'qcow2').clusterSize + 2);
}

/** The nodes from bs->file down through filters and raw: a write or truncate of the image file passes all of them. */
function filePath(node: BlockNode): BlockNode[] {
  return passThroughAtZero(node.children.find((c) => c.name === 'file')?.child);
}

/**
 * qcow2_co_truncate shrinking: qcow2_shrink_reftable rewrites the refcount table (a cluster at cluster 1, so a file
 * cut shorter grows back to two clusters), freeing a refcount block that reads all zero (refcount underflow: EINVAL);
 * then qcow2_get_last_cluster looks for the last cluster with a reference below the file's end (none: EIO), and
 * the file is cut after it. Both failures are fatal corruptions (bs->drv = NULL).
 */
export function shrinkFile(env: BlockEnv, node: BlockNode): Result<void> | undefined {
  // the refcount table's rewrite goes through bs->file: a raw whose `size` window ends before cluster 2 refuses it
  const direct = node.children.find((c) => c.name === 'file')?.child;
  const window = direct?.driver.name === 'raw' && direct.options['size'] !== undefined ? Number(direct.options['size']) : undefined;
  const { clusterSize } = stateOf(node, 'qcow2');
  if (window !== undefined && window < 2 * clusterSize) return fail('io-error', 'Failed to discard unused refblocks: No space left on device');
  const path = filePath(node);
  const file = path.at(-1);
  // a null-co there reads its buffers back as they were allocated, zeros here: the refblock underflows
  if (zeroRefcountsBelow(node)) return corruptShrink(env, node, clusterSize, false);
  const img = file?.driver.name === 'file' ? env.images.read(file.filename ?? '') : undefined;
  if (!file || !img || img.header.kind === 'broken-qcow2') return undefined;
  // a file that now holds other data (a reopen swapped it, zeros written over it) has zeros where the refblock was
  const zeros = img.header.kind === 'raw';
  const cs = img.header.kind === 'qcow2' ? img.header.clusterSize : clusterSize;
  const setLength = (length: number): void => {
    env.images.write({ ...img, length });
    for (const n of path) n.size = roundUpToSector(length);
  };
  if (img.header.kind === 'qcow2' && img.length >= 2 * cs + 2) {
    const referenced = metadataClusters(img.header.virtualSize, cs) + (img.l2Tables ?? []).length + (img.dataClusters ?? []).length;
    let last = 0;
    for (let i = 0; i < Math.min(referenced, Math.ceil(img.length / cs)); i++) if (2 * cs + 2 * i + 2 <= img.length) last = i;
    if ((last + 1) * cs < img.length) setLength((last + 1) * cs);
    return undefined;
  }
  setLength(Math.max(img.length, 2 * cs));
  return corruptShrink(env, node, cs, img.length < cs + 8 && !zeros);
}

/** The shrink's fatal corruption (bs->drv = NULL): a refcount table without references, or a refblock of zeros. */
function corruptShrink(env: BlockEnv, node: BlockNode, cs: number, noReferences: boolean): Result<void> {
  node.driverGone = true;
  const hex = `0x${(2 * cs).toString(16)}`;
  const [what, error] = noReferences
    ? ['There are no references in the refcount table.', 'Failed to find the last cluster: Input/output error']
    : [`Invalid refcount: refblock offset ${hex}, reftable index 0, block offset ${hex}, refcount 0`, 'Failed to discard unused refblocks: Invalid argument'];
  env.stderrLog += `qcow2: Marking image as corrupt: ${what}; further corruption events will be suppressed\n`;
  return fail('io-error', error);
}

/**
 * Writes on a qcow2 node: zeroes over guest bytes [from, to) (qcow2_subcluster_zeroize), then data at `dataAt`.
 * Each missing L2 table (zero_in_l2_slice, then handle_alloc) and data cluster takes the first free cluster, past
 * the fresh metadata and what was allocated before. A write past EOF grows the image file and every node it
 * passes through (bdrv_co_write_req_finish), so parents that ask (raw) see it.
 */
export function allocateClusters(env: BlockEnv, node: BlockNode, from: number, to: number, dataAt: readonly number[] = []): void {
  const path = filePath(node);
  const file = path.at(-1);
  if (!file || file.driver.name !== 'file') return;
  const img = env.images.read(file.filename ?? '');
  if (img?.header.kind !== 'qcow2') return;
  const { clusterSize } = stateOf(node, 'qcow2');
  const coverage = l2Coverage(clusterSize);
  const tables = [...(img.l2Tables ?? [])];
  const data = [...(img.dataClusters ?? [])];
  const before = tables.length + data.length;
  for (let i = Math.floor(from / coverage); i < Math.ceil(to / coverage); i++) if (!tables.includes(i)) tables.push(i);
  for (const at of dataAt) {
    if (!tables.includes(Math.floor(at / coverage))) tables.push(Math.floor(at / coverage));
    if (!data.includes(Math.floor(at / clusterSize))) data.push(Math.floor(at / clusterSize));
  }
  if (tables.length + data.length === before) return;
  const length = Math.max(img.length, (metadataClusters(img.header.virtualSize, clusterSize) + tables.length + data.length) * clusterSize);
  env.images.write({ ...img, length, l2Tables: tables, dataClusters: data });
  for (const n of path) n.size = Math.max(n.size, length);
}

/** A job's first write allocates an L2 table: on a qcow2 cut below its refcounts that lands on its metadata, the
 * corruption clears bs->drv and the write fails. */
export function corruptsOnWrite(env: BlockEnv, n: BlockNode | undefined): boolean {
  const hit = n ? freeMetadataCluster(env, n) : undefined;
  if (n && hit !== undefined) corruptOnAllocation(env, n, hit, true);
  return hit !== undefined;
}
