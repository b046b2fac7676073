// qcow2: a format node with an IMAGE file child, an optional COW backing, size from its header.
import { OK, fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { readContent } from '../core/read-content.ts';
import type { ContentKey } from '../core/read-content.ts';
import { IMAGE } from '../core/role.ts';
import type { BrokenQcow2Header, Qcow2Header } from '../images/image-store.ts';
import { any, blockdevRef, blockdevRefOrNull, bool, int, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import type { BlockNode } from '../core/graph.ts';
import { cowBs } from '../core/chain.ts';
import { nodeLength } from '../core/length.ts';
import { QemuAbortError } from '../core/qemu-abort-error.ts';
import { allocateClusters, corruptOnAllocation, freeMetadataCluster, imageFilename, shrinkFile } from './qcow2-clusters.ts';

/** The header qcow2_do_open reads through bs->file: whatever that node reads (a quorum votes, a qcow2 reads guest data). */
function readHeader(content: ContentKey | undefined): Result<Qcow2Header> {
  if (content === undefined) return fail('io-error', 'Could not read qcow2 header: Input/output error');
  // a read at an offset ("...@512") does not start with the header
  if (!content.endsWith('}')) return fail('invalid-param', 'Image is not in qcow2 format');
  if (content.startsWith('broken:')) return fail('invalid-param', (JSON.parse(content.slice('broken:'.length)) as BrokenQcow2Header).message);
  if (!content.startsWith('qcow2:')) return fail('invalid-param', 'Image is not in qcow2 format');
  return ok(JSON.parse(content.slice('qcow2:'.length)) as Qcow2Header);
}

/** Nodes whose s->data_file dangles: hidden driver state that outlives the failed reopen's transaction. */
const DATA_FILE_FREED = new WeakSet<BlockNode>();

export const qcow2 = Object.freeze<Driver>({
  name: 'qcow2',
  isFilter: false,
  isFormat: true,
  supportsBacking: true,
  isProtocol: false,
  schema: [
    req('file', blockdevRef),
    opt('backing', blockdevRefOrNull),
    opt('lazy-refcounts', bool),
    opt('pass-discard-request', bool),
    opt('pass-discard-snapshot', bool),
    opt('pass-discard-other', bool),
    opt('overlap-check', any),
    opt('cache-size', int),
    opt('l2-cache-size', int),
    opt('l2-cache-entry-size', int),
    opt('refcount-cache-size', int),
    opt('cache-clean-interval', int),
    opt('encrypt', any),
    opt('data-file', blockdevRef),
    opt('compression-type', str),
  ],
  open(ctx) {
    const e = ctx.openChild('file', IMAGE);
    if (!e.ok) return e;
    const child = e.value?.child;
    // qcow2_do_open reads the header's first sector; a blkverify on the way compares it and may exit
    const read = child ? readContent(ctx.env, child, 512) : undefined;
    if (read?.kind === 'exit') throw new QemuAbortError(read.stderr);
    const header = readHeader(read === undefined ? '' : read.kind === 'data' ? read.key : undefined);
    if (!header.ok) return header;
    const h = header.value;
    ctx.node.filename = child ? imageFilename(child) : undefined;
    ctx.node.size = h.virtualSize;
    ctx.node.backingFile = h.backingFile;
    ctx.node.autoBackingFile = h.backingFile;
    ctx.node.backingFormat = h.backingFormat;
    ctx.node.state['clusterSize'] = h.clusterSize;
    return OK;
  },
  reopen: {
    mutableOptions: [
      'lazy-refcounts',
      'pass-discard-request',
      'pass-discard-snapshot',
      'pass-discard-other',
      'overlap-check',
      'cache-size',
      'l2-cache-size',
      'l2-cache-entry-size',
      'refcount-cache-size',
      'cache-clean-interval',
    ],
    // qcow2_reopen_abort resyncs s->data_file with bs->file, which is still the new child the transaction then frees
    abortInPrepare(node, fileChanged) {
      if (fileChanged) DATA_FILE_FREED.add(node);
    },
  },
  // qcow2_close unrefs s->data_file, which a reopen abort may have left pointing at a freed child
  onClose(_env, _tx, node) {
    if (DATA_FILE_FREED.has(node)) throw new QemuAbortError('');
  },
  truncate(env, node, size) {
    // qcow2_co_truncate consults the dangling s->data_file before anything else: 7.2 segfaults or hangs (core-diff-62)
    if (DATA_FILE_FREED.has(node)) throw new QemuAbortError('');
    if (size % 512 !== 0) return fail('invalid-param', 'The new size must be a multiple of 512');
    const old = nodeLength(node);
    // qcow2_co_truncate grows the L1 table, then (bdrv_co_truncate's BDRV_REQ_ZERO_WRITE, set when the backing
    // file is longer than the old size) zeroes the new clusters, which allocates the L2 table: either allocation
    // may land on a metadata cluster whose refcount lies past EOF, and the fatal corruption sets bs->drv = NULL
    const clusterSize = Number(node.state['clusterSize'] ?? 65536);
    const l1Entries = (n: number): number => Math.ceil(n / (clusterSize * (clusterSize / 8)));
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
  },
});
