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
import { filterBs } from '../core/chain.ts';
import { QemuAbortError } from '../core/qemu-abort-error.ts';
import type { BlockEnv } from '../core/block-env.ts';

/** Fresh images keep cluster 0's refcount two clusters in: cut before it, zeros make the header look free. */
export function allocationHitsHeader(env: BlockEnv, n: BlockNode): boolean {
  if (n.driver.name !== 'qcow2' || n.readOnly) return false;
  const img = env.images.read(n.filename ?? '');
  const clusterSize = Number(n.state['clusterSize'] ?? 65536);
  return img?.header.kind === 'qcow2' && img.length < 2 * clusterSize + 2;
}

/** The image file a read at offset 0 through `n` lands in: raw (unshifted) and filters pass it on. */
function imageFilename(n: BlockNode): string | undefined {
  if (n.driver.name === 'file') return n.filename;
  const unshifted = Number(n.state['offset'] ?? 0) === 0;
  const f = n.driver.name === 'raw' ? (unshifted ? n.children.find((c) => c.name === 'file')?.child : undefined) : filterBs(n);
  return f ? imageFilename(f) : undefined;
}

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
  open(ctx, args) {
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
    ctx.node.backingFormat = h.backingFormat;
    ctx.node.state['clusterSize'] = h.clusterSize;
    void args;
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
    if (size % 512 !== 0) return fail('invalid-param', 'The new size must be a multiple of 512');
    const img = env.images.read(node.filename ?? '');
    if (img && img.header.kind === 'qcow2') env.images.write({ ...img, header: { ...img.header, virtualSize: size } });
    node.size = size;
    return OK;
  },
});
