// raw and quorum: formats without a header, over a file (raw: passed through, or a window of it) or voting children.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { childEdge, childEdges, lengthBelow, lengthsAgree, num, parentCount } from '../graph.ts';
import { DATA, DATA_PRIMARY, FILTERED, optionFacts } from '../perm-rules.ts';
import { OK, fail, seq, type Result } from '../result.ts';
import type { Draft } from '../draft.ts';
import type { Driver, OpenContext } from './driver.ts';

const windowed = (o: JsonObject): boolean => (num(o, 'offset') ?? 0) !== 0 || num(o, 'size') !== undefined;

/** raw_apply_options: the window lies inside the (current) file child and is sector-sized. */
function checkWindow(d: Draft, name: string, o: JsonObject): Result {
  const [offset, size, real] = [num(o, 'offset') ?? 0, num(o, 'size'), lengthBelow(d, name, 'file')];
  if (offset < 0 || (size ?? 0) < 0) return fail('invalid-param', 'offset and size must not be negative');
  // a file length the model does not follow: the window may fit in it or not
  if (real === undefined) d.mayFail.push({ code: 'invalid-param', message: 'The window may end beyond the containing file' });
  else if (offset > real) return fail('invalid-param', `Offset (${offset}) cannot be greater than size of the containing file (${real})`);
  else if (size !== undefined && real - offset < size) return fail('invalid-param', `The window ends beyond the containing file (${real})`);
  return size !== undefined && size % 512 !== 0 ? fail('invalid-param', 'Specified size is not multiple of 512') : OK;
}

/** raw passes its `file` through (role FILTERED), or a window of it with offset/size (DATA). */
export const raw: Driver = {
  name: 'raw',
  open: ({ d, node, args, child }) =>
    seq(
      () => ((num(args, 'offset') ?? 0) < 0 || (num(args, 'size') ?? 0) < 0 ? fail('invalid-param', 'offset and size must not be negative') : OK),
      () => child('file', windowed(args) ? DATA_PRIMARY : FILTERED),
      () => checkWindow(d, node.name, args),
    ),
  recheck: (s, n, opts) => checkWindow(s, n.name, opts),
  reopenMutable: ['offset', 'size'],
  // raw_getlength: nothing past a file shorter than the offset, a fixed size no more than the file holds
  length: (s, n) => {
    const file = lengthBelow(s, n.name, 'file');
    const room = file === undefined ? undefined : Math.max(0, file - (num(n.opts, 'offset') ?? 0));
    return room === undefined ? undefined : Math.min(num(n.opts, 'size') ?? room, room);
  },
  variableLength: true,
  truncate: (d, n, size, below) => {
    const f = childEdge(d, n.name, 'file')?.child;
    if (num(n.opts, 'size') !== undefined || f === undefined) return fail('unsupported', 'Cannot resize fixed-size raw disks');
    return below(f, size + (num(n.opts, 'offset') ?? 0));
  },
  readAtZero: (n) => ((num(n.opts, 'offset') ?? 0) === 0 ? { kind: 'child', edge: 'file' } : { kind: 'other-bytes' }),
};

/** quorum_open: x-blockdev-change adds and removes its `children.N` later. */
function openQuorum({ d, node, args, child }: OpenContext): Result {
  const [children, threshold] = [Array.isArray(args['children']) ? (args['children'] as readonly JsonValue[]) : [], num(args, 'vote-threshold') ?? 0];
  // with read-pattern=fifo quorum ignores blkverify and rewrite-corrupted
  const verify = args['read-pattern'] !== 'fifo' && args['blkverify'] === true;
  if (children.length < 1) return fail('invalid-param', 'Number of provided children must be 1 or more');
  if (threshold < 1 || threshold > children.length) return fail('invalid-param', `threshold ${threshold} is out of range`);
  if (verify && (children.length !== 2 || threshold !== 2)) return fail('invalid-param', 'blkverify=on needs exactly two children and vote-threshold 2');
  if (verify && args['rewrite-corrupted'] === true) return fail('invalid-param', 'rewrite-corrupted=on cannot be used with blkverify=on');
  for (const [i, c] of children.entries()) {
    const r = child('children', DATA, `children.${i}`, c);
    if (!r.ok) return r;
  }
  // its length is its children's, which must agree (quorum_co_getlength): one child has none to disagree with
  const edges = childEdges(d, node.name);
  const agree = edges.length > 1 ? lengthsAgree(d, fail('io-error', 'Could not refresh total sector count: Input/output error'), ...edges.map((e) => e.child)) : OK;
  if (!agree.ok) return agree;
  node.nextChild = children.length;
  return OK;
}

export const quorum: Driver = {
  name: 'quorum',
  open: openQuorum,
  length: (s, n) => lengthBelow(s, n.name, 'children.0'),
  ruleFacts: (n) => optionFacts(n.opts),
  // a child may be replaced only where quorum is its one parent
  canReplace: (s, n, r) => childEdges(s, n.name).some((e) => e.child === r) && parentCount(s, r) === 1,
  votes: true,
  childList: true,
};
