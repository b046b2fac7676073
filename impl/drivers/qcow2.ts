// qcow2: a format node with an IMAGE file child, an optional COW backing, size from its header.
import { OK, fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { blockStatus } from '../core/block-status.ts';
import { ZEROS } from '../core/content.ts';
import type { Content } from '../core/content.ts';
import { bytesAt, bytesEndBelow, data, readContent } from '../core/read-content.ts';
import { IMAGE } from '../core/role.ts';
import type { Qcow2Header } from '../images/image-store.ts';
import { any, blockdevRef, blockdevRefOrNull, bool, int, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import { cowBs } from '../core/chain.ts';
import { segfaultOf } from '../core/segfault.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { allocateClusters, corruptsOnWrite, imageFilename } from './qcow2-clusters.ts';
import { qcow2Truncate } from './qcow2-truncate.ts';
import { qcow2Served } from './qcow2-served.ts';

/** s->cluster_size of qemu-img's images unless told otherwise; a node's own comes from its header. */
export const DEFAULT_CLUSTER_SIZE = 65536;

/** The header qcow2_do_open reads through bs->file: whatever that node reads (a quorum votes, a qcow2 reads guest data). */
function readHeader(content: Content | undefined): Result<Qcow2Header> {
  if (content === undefined) return fail('io-error', 'Could not read qcow2 header: Input/output error');
  // zeros, or a read at an offset (a raw window), do not start with a header
  if (content.kind === 'zeros' || content.shifts.length > 0) return fail('invalid-param', 'Image is not in qcow2 format');
  const h = content.header;
  return h.kind === 'broken-qcow2' ? fail('invalid-param', h.message) : ok(h);
}

export const qcow2 = Object.freeze<Driver<'qcow2'>>({
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
  newState: () => ({ driver: 'qcow2', clusterSize: DEFAULT_CLUSTER_SIZE }),
  open(ctx) {
    const e = ctx.openChild('file', IMAGE);
    if (!e.ok) return e;
    const child = e.value?.child;
    // qcow2_do_open reads the header's first sector; a blkverify on the way compares it and may exit
    const read = child ? readContent(ctx.env, child, 512) : undefined;
    if (read?.kind === 'exit') dieNow(read.death);
    const header = readHeader(read === undefined ? ZEROS : read.kind === 'data' ? read.content : undefined);
    if (!header.ok) return header;
    const h = header.value;
    ctx.node.filename = child ? imageFilename(child) : undefined;
    ctx.node.size = h.virtualSize;
    ctx.node.backingFile = h.backingFile;
    ctx.node.autoBackingFile = h.backingFile;
    ctx.node.backingFormat = h.backingFormat;
    stateOf(ctx.node, 'qcow2').clusterSize = h.clusterSize;
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
    abortInPrepare(env, node, fileChanged) {
      if (fileChanged) env.danglingDataFile.add(node);
    },
  },
  // qcow2_close unrefs s->data_file, which a reopen abort may have left pointing at a freed child
  onClose(env, _tx, node) {
    if (env.danglingDataFile.has(node)) dieNow(segfaultOf('qcow2-dangling-data-file'));
  },
  truncate: qcow2Truncate,
  // nothing writes guest data: an unallocated cluster reads what the backing reads, zeros without one
  read(env, node, request) {
    const backing = node.children.find((c) => c.name === 'backing')?.child;
    return backing ? readContent(env, backing, request) : data(ZEROS);
  },
  bytesAt(env, node, offset, bytes) {
    const b = cowBs(node);
    return b ? bytesAt(env, b, offset, bytes) : new Uint8Array(bytes);
  },
  bytesEnd: (env, node) => bytesEndBelow(env, cowBs(node)),
  allocated: () => false,
  ...qcow2Served,
  blockStatus(env, node, at, own) {
    const b = cowBs(node);
    // an unallocated cluster over a backing file: its own status is neither; only the walk above goes down to it
    return b ? (own ? 'none' : blockStatus(env, b, at)) : 'zero';
  },
  clusterSize: (node) => stateOf(node, 'qcow2').clusterSize,
  allocate: allocateClusters,
  firstWriteFails: corruptsOnWrite,
  firstReadYields: true,
  hasZeroInit: true,
  changeBackingFile(env, node, file, format) {
    node.backingFile = file;
    node.autoBackingFile = file;
    node.backingFormat = file === undefined ? undefined : format;
    const img = env.images.read(node.filename ?? '');
    if (img && img.header.kind === 'qcow2') {
      env.images.write({ ...img, header: { ...img.header, backingFile: file, backingFormat: node.backingFormat } });
    }
    return 0;
  },
});
