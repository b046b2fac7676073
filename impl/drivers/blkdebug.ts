// blkdebug: a test filter that can take extra perms on its child or refuse to share some.
import { defaultPerms } from '../core/default-perms.ts';
import { minus, permsNamed, union } from '../../qmp/perm-set.ts';
import { OK, fail } from '../core/result.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { BLOCK_PERMISSION, any, blockdevRef, int, listOf, opt, req, str } from '../qapi/schema.ts';
import { intArg, intArgText } from './common.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import { nodeFilename, ownOptions } from '../core/node-filename.ts';
import { filteredLength } from '../core/length.ts';

export const blkdebug = Object.freeze<Driver<'blkdebug'>>({
  name: 'blkdebug',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  fileOpen: true,
  schema: [
    req('image', blockdevRef),
    opt('config', str),
    opt('align', int),
    opt('max-transfer', int),
    opt('opt-write-zero', int),
    opt('max-write-zero', int),
    opt('opt-discard', int),
    opt('max-discard', int),
    opt('inject-error', any),
    opt('set-state', any),
    opt('take-child-perms', listOf(BLOCK_PERMISSION)),
    opt('unshare-child-perms', listOf(BLOCK_PERMISSION)),
  ],
  newState: () => ({ driver: 'blkdebug', align: 1 }),
  open(ctx, args) {
    const config = typeof args['config'] === 'string' ? args['config'] : undefined;
    if (config !== undefined && !ctx.env.images.read(config)) {
      return fail('io-error', 'Could not read blkdebug config file: No such file or directory');
    }
    const e = ctx.openChild('image', FILTERED_PRIMARY);
    if (!e.ok) return e;
    const align = intArg(args, 'align');
    if (align !== undefined && align !== 0) {
      if (align >= 2 ** 31 - 1 || (align & (align - 1)) !== 0) return fail('invalid-param', `Cannot meet constraints with align ${intArgText(args, 'align') ?? align}`);
      stateOf(ctx.node, 'blkdebug').align = align;
    }
    ctx.node.size = filteredLength(ctx.node);
    return OK;
  },
  length: filteredLength,
  childPerm(ctx) {
    const d = defaultPerms(ctx);
    const take = permsNamed(ctx.node.options['take-child-perms']);
    const unshare = permsNamed(ctx.node.options['unshare-child-perms']);
    return { perm: union(d.perm, take), shared: minus(d.shared, unshare) };
  },
  reopen: { mutableOptions: [] },
  requestAlignment: (node) => stateOf(node, 'blkdebug').align,
  // blkdebug_refresh_filename: "blkdebug:CONFIG:IMAGE" when nothing but the config file was given and the image has a plain name
  exactFilename(node) {
    const image = node.children.find((e) => e.name === 'image')?.child;
    const inner = image ? nodeFilename(image) : 'json:';
    if (!ownOptions(node).every((k) => k === 'config') || inner.startsWith('json:')) return undefined;
    return `blkdebug:${typeof node.options['config'] === 'string' ? node.options['config'] : ''}:${inner}`;
  },
});
