// file-posix: a protocol node over an image file, with OFD image locking between nodes.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockNode, Graph } from '../core/graph.ts';
import { hasPerm, PERMS } from '../../qmp/perm-set.ts';
import { permText } from '../core/perm.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { OK, fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { ON_OFF_AUTO, bool, enumOf, int, opt, req, str } from '../qapi/schema.ts';
import { roundUpToSector, strArg } from './common.ts';
import type { Driver } from './driver.ts';
import { truncateImage } from '../images/truncate-image.ts';
import { imageFileBytes, imageFileBytesEnd } from '../images/qcow2-header-bytes.ts';
import { FIRST_CHUNK } from '../core/block-status.ts';
import { ZEROS, headerContent } from '../core/content.ts';
import { data } from '../core/read-content.ts';
import { fileServed } from './file-served.ts';

const NO_OPTIONS: JsonObject = {};

function lockingOn(n: BlockNode): boolean {
  return n.options['locking'] !== 'off';
}

/** Where the lock errors are raised: an &error_abort dies there, before raw_handle_perm_lock appends the hint. */
const AT = { fn: 'raw_check_lock_bytes', at: 'block/file-posix.c:0' } as const;

/** raw_check_lock_bytes: our perms must be shared by every other fd, and what we unshare unused. */
function checkLocks(g: Graph, self: BlockNode, perm: PermSet, shared: PermSet): Result<void> {
  const hint = `Is another process using the image [${self.filename ?? ''}]?\n`;
  const others = [...g.nodes.values()].filter(
    (n) => n !== self && n.driver === file && n.filename === self.filename && lockingOn(n) && !n.closed,
  );
  for (const p of PERMS) {
    if (hasPerm(perm, p) && others.some((o) => !hasPerm(o.locked.shared, p))) {
      return { ok: false, error: { code: 'perm-conflict', message: `Failed to get "${permText(p)}" lock`, errorClass: 'GenericError', hint, raisedAt: AT } };
    }
  }
  for (const p of PERMS) {
    if (!hasPerm(shared, p) && others.some((o) => hasPerm(o.locked.perm, p))) {
      return { ok: false, error: { code: 'perm-conflict', message: `Failed to get shared "${permText(p)}" lock`, errorClass: 'GenericError', hint, raisedAt: AT } };
    }
  }
  return OK;
}

export const file = Object.freeze<Driver<'file'>>({
  name: 'file',
  isFilter: false,
  isFormat: false,
  supportsBacking: false,
  isProtocol: true,
  fileOpen: true,
  newState: () => ({ driver: 'file' }),
  schema: [
    req('filename', str),
    opt('pr-manager', str),
    opt('locking', ON_OFF_AUTO),
    opt('aio', enumOf('threads', 'native', 'io_uring')),
    opt('aio-max-batch', int),
    opt('drop-cache', bool),
    opt('x-check-cache-dropped', bool),
  ],
  open(ctx, args) {
    const filename = strArg(args, 'filename') ?? '';
    const img = ctx.env.images.read(filename);
    if (!img) return fail('io-error', `Could not open '${filename}': No such file or directory`);
    ctx.node.filename = filename;
    ctx.node.size = roundUpToSector(img.length);
    return OK;
  },
  reopen: { mutableOptions: ['drop-cache', 'x-check-cache-dropped'] },
  truncate(env, node, size) {
    const img = env.images.read(node.filename ?? '');
    if (img) env.images.write(truncateImage(img, size));
    node.size = roundUpToSector(size);
    return OK;
  },
  // what the image file holds at offset 0: a qcow2 header (whole or cut short) or, for a raw image, zeros
  read(env, node) {
    const img = env.images.read(node.filename ?? '');
    return data(!img || img.header.kind === 'raw' ? ZEROS : headerContent(img.header));
  },
  bytesAt(env, node, offset, bytes) {
    const img = env.images.read(node.filename ?? '');
    return img ? imageFileBytes(img, offset, bytes) : new Uint8Array(bytes);
  },
  bytesEnd(env, node) {
    const img = env.images.read(node.filename ?? '');
    return img ? imageFileBytesEnd(img) : 0;
  },
  allocated: () => true,
  ...fileServed,
  blockStatus(env, node, at) {
    // qemu-img writes a raw image's first block (allocate_first_block), the rest is a hole; a qcow2 file is all written
    const img = at === 'tail' ? env.images.read(node.filename ?? '') : undefined;
    return img?.header.kind === 'raw' && img.length > FIRST_CHUNK ? 'zero' : 'data';
  },
  exactFilename: (node) => node.filename,
  gatherOptions: (node) => ({ options: node.filename !== undefined ? { filename: node.filename } : NO_OPTIONS, children: [] }),
  setPerm(g, node, perm, shared) {
    if (!lockingOn(node)) return ok(() => undefined);
    const r = checkLocks(g, node, perm, shared);
    return r.ok ? ok(() => void (node.locked = { perm, shared })) : r;
  },
});
