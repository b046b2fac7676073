// raw: a format node that passes data through; with offset/size it is a DATA child, not a filter.
import { intersect, minus, WS } from '../../qmp/perm-set.ts';
import { truncateNode } from '../core/truncate.ts';
import { nodeLength } from '../core/length.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { BlockNode } from '../core/graph.ts';
import type { Transaction } from '../core/transaction.ts';
import { DATA_PRIMARY, FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, int, opt, req } from '../qapi/schema.ts';
import { defaultPerms } from '../core/default-perms.ts';
import { intArg, intArgText } from './common.ts';
import type { JsonObject } from '../../qmp/types.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import { blockStatus } from '../core/block-status.ts';
import { shifted } from '../core/content.ts';
import { bytesAt, bytesEndBelow, data, readContent } from '../core/read-content.ts';
import { ZEROS } from '../core/content.ts';
import { rawServed } from './small-served.ts';

const fileOf = (node: BlockNode): BlockNode | undefined => node.children.find((c) => c.name === 'file')?.child;

/** raw_apply_options: the window must lie inside the file and be sector-sized. */
function checkWindow(real: number, offset: number | undefined, size: number | undefined, text?: JsonObject): Result<void> {
  if (offset !== undefined && offset < 0) return fail('invalid-param', "Parameter 'offset' expects a non-negative number below 2^64");
  if (size !== undefined && size < 0) return fail('invalid-param', "Parameter 'size' expects a non-negative number below 2^64");
  const off = offset ?? 0;
  // the digits as given: beyond 2^53 the numbers here are rounded
  const offText = (text && intArgText(text, 'offset')) ?? String(off);
  const sizeText = (text && intArgText(text, 'size')) ?? String(size);
  if (off > real) return fail('invalid-param', `Offset (${offText}) cannot be greater than size of the containing file (${real})`);
  if (size !== undefined && real - off < size) {
    return fail(
      'invalid-param',
      `The sum of offset (${offText}) and size (${sizeText}) has to be smaller or equal to the  actual size of the containing file (${real})`,
    );
  }
  if (size !== undefined && size % 512 !== 0) return fail('invalid-param', 'Specified size is not multiple of 512');
  return OK;
}

function applyWindow(tx: Transaction, node: BlockNode, offset: number | undefined, size: number | undefined): void {
  const s = stateOf(node, 'raw');
  tx.set(s, 'offset', offset ?? 0);
  tx.set(s, 'size', size);
}

export const raw = Object.freeze<Driver<'raw'>>({
  name: 'raw',
  isFilter: false,
  isFormat: true,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('file', blockdevRef), opt('offset', int), opt('size', int)],
  newState: () => ({ driver: 'raw', offset: 0, size: undefined }),
  open(ctx, args) {
    const offset = intArg(args, 'offset');
    const size = intArg(args, 'size');
    // raw reads offset/size as QemuOpts sizes: negative numbers are refused before the child is attached
    const neg = checkWindow(Number.MAX_SAFE_INTEGER, offset !== undefined && offset < 0 ? offset : undefined, size !== undefined && size < 0 ? size : undefined);
    if (!neg.ok) return neg;
    // raw_open: only a non-zero offset or an explicit size makes the child a DATA child
    const hasWindow = (offset !== undefined && offset !== 0) || size !== undefined;
    const e = ctx.openChild('file', hasWindow ? DATA_PRIMARY : FILTERED_PRIMARY);
    if (!e.ok) return e;
    const child = e.value?.child;
    const w = checkWindow(child ? nodeLength(child) : 0, offset, size, args);
    if (!w.ok) return w;
    applyWindow(ctx.tx, ctx.node, offset, size);
    ctx.node.filename = child?.filename;
    return OK;
  },
  childPerm(ctx) {
    const d = defaultPerms(ctx);
    // raw only needs write/resize on its file when its own parents take them.
    return { perm: minus(d.perm, minus(WS, intersect(ctx.perm, WS))), shared: d.shared };
  },
  reopen: {
    mutableOptions: ['offset', 'size'],
    prepare(_env, node, options) {
      const child = fileOf(node);
      return checkWindow(child ? nodeLength(child) : 0, intArg(options, 'offset'), intArg(options, 'size'));
    },
    commit(_env, tx, node, options) {
      applyWindow(tx, node, intArg(options, 'offset'), intArg(options, 'size'));
    },
  },
  variableLength: true,
  length(node) {
    const child = fileOf(node);
    const { offset, size } = stateOf(node, 'raw');
    const room = (child ? nodeLength(child) : 0) - offset;
    // raw_getlength: a file shorter than the offset leaves nothing, a fixed size no more than the file holds
    if (room < 0) return 0;
    return size !== undefined ? Math.min(size, room) : room;
  },
  truncate(env, node, size) {
    const s = stateOf(node, 'raw');
    if (s.size !== undefined) return fail('unsupported', 'Cannot resize fixed-size raw disks');
    const child = fileOf(node);
    if (!child) return fail('unsupported', 'Image format driver does not support resize');
    const r = truncateNode(env, child, size + s.offset);
    if (r.ok) node.size = size;
    return r;
  },
  // BDRV_BLOCK_RAW: reads, block status and bytes go to `file`, `offset` further in
  read(env, node, request) {
    const file = fileOf(node);
    const inner = file ? readContent(env, file, request) : data(ZEROS);
    return inner.kind === 'data' ? data(shifted(inner.content, stateOf(node, 'raw').offset)) : inner;
  },
  requestChild: fileOf,
  ...rawServed,
  requestOffset: (node) => stateOf(node, 'raw').offset,
  // measured: a qcow2 below raw stops the walk at its own layer
  blockStatus(env, node, at) {
    const file = fileOf(node);
    return file ? blockStatus(env, file, at, true) : 'data';
  },
  bytesAt(env, node, offset, bytes) {
    const file = fileOf(node);
    return file && stateOf(node, 'raw').offset === 0 ? bytesAt(env, file, offset, bytes) : undefined;
  },
  bytesEnd: (env, node) => (stateOf(node, 'raw').offset === 0 ? bytesEndBelow(env, fileOf(node)) : 0),
});
