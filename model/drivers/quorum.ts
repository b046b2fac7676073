// quorum: a format over `children.N` (DATA) that votes on reads; x-blockdev-change adds and removes children.
import type { JsonValue } from '../../qmp/types.ts';
import { childEdges, lengthBelow, lengthOf, num, parentCount } from '../graph.ts';
import { DATA, optionFacts } from '../perm-rules.ts';
import { OK, fail, known } from '../result.ts';
import type { Result } from '../result.ts';
import { oneOf } from '../schema.ts';
import type { Driver, OpenContext } from './driver.ts';

function open({ d, node, args, child }: OpenContext): Result {
  const children = (args['children'] as readonly JsonValue[] | undefined) ?? [];
  const threshold = num(args, 'vote-threshold') ?? 0;
  // with read-pattern=fifo quorum ignores blkverify and rewrite-corrupted
  const verify = args['read-pattern'] !== 'fifo' && args['blkverify'] === true;
  if (children.length < 1) return fail('invalid-param', 'Number of provided children must be 1 or more');
  if (threshold < 1) return fail('invalid-param', "Parameter 'vote-threshold' expects a value >= 1");
  if (threshold > children.length) return fail('invalid-param', 'threshold may not exceed children count');
  if (verify && (children.length !== 2 || threshold !== 2)) return fail('invalid-param', 'blkverify=on needs exactly two children and vote-threshold 2');
  if (verify && args['rewrite-corrupted'] === true) return fail('invalid-param', 'rewrite-corrupted=on cannot be used with blkverify=on');
  for (const [i, c] of children.entries()) {
    const r = child('children', DATA, `children.${i}`, c);
    if (!r.ok) return r;
  }
  // its length is its children's, which must agree (quorum_co_getlength)
  const lengths = childEdges(d, node.name).map((e) => known(lengthOf(d, e.child)));
  const unknown = lengths.find((l) => !l.ok);
  if (unknown) return unknown;
  if (new Set(lengths.map((l) => (l.ok ? l.value : 0))).size > 1) return fail('io-error', 'Could not refresh total sector count: Input/output error');
  node.nextChild = children.length;
  return OK;
}

export const quorum: Driver = {
  name: 'quorum',
  members: { 'blkverify?': 'bool', children: { list: 'ref' }, 'vote-threshold': 'int', 'rewrite-corrupted?': 'bool', 'read-pattern?': oneOf('quorum', 'fifo') },
  open,
  length: (s, n) => lengthBelow(s, n.name, 'children.0'),
  ruleFacts: (n) => optionFacts(n.opts),
  // a child may be replaced only where quorum is its one parent
  canReplace: (s, n, r) => childEdges(s, n.name).some((e) => e.child === r) && parentCount(s, r) === 1,
  childList: true,
  votes: true,
};
