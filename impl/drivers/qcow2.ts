// qcow2: a format node with an IMAGE file child, an optional COW backing, size from its header.
import { OK, fail } from '../core/result.ts';
import { IMAGE } from '../core/role.ts';
import type { Qcow2Header } from '../images/image-store.ts';
import { any, blockdevRef, blockdevRefOrNull, bool, int, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import type { BlockNode } from '../core/graph.ts';
import { filterBs } from '../core/chain.ts';

function imageFilename(n: BlockNode): string | undefined {
  if (n.filename !== undefined) return n.filename;
  const f = filterBs(n);
  return f ? imageFilename(f) : undefined;
}

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
    // the header is read through bs->file, and filters in between pass the read on
    const filename = child ? imageFilename(child) : undefined;
    const img = filename !== undefined ? ctx.env.images.read(filename) : undefined;
    if (!img || img.header.kind !== 'qcow2') return fail('invalid-param', 'Image is not in qcow2 format');
    const h: Qcow2Header = img.header;
    ctx.node.filename = filename;
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
  },
  truncate(env, node, size) {
    if (size % 512 !== 0) return fail('invalid-param', 'The new size must be a multiple of 512');
    const img = env.images.read(node.filename ?? '');
    if (img && img.header.kind === 'qcow2') env.images.write({ ...img, header: { ...img.header, virtualSize: size } });
    node.size = size;
    return OK;
  },
});
