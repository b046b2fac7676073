// quorum: a format over `children.N` (DATA) that votes on reads; x-blockdev-change adds and removes children.
import type { JsonValue } from '../../qmp/types.ts';
import { childEdges, lengthBelow, lengthsOf, num, parentCount } from '../graph.ts';
import { DATA, optionFacts } from '../perm-rules.ts';
import { OK, fail } from '../result.ts';
import type { Result } from '../result.ts';
import type { Driver, OpenContext } from './driver.ts';

function open({ d, node, args, child }: OpenContext): Result {
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
  // its length is its children's, which must agree (quorum_co_getlength)
  const lengths = lengthsOf(d, ...childEdges(d, node.name).map((e) => e.child));
  if (!lengths.ok) return lengths;
  if (new Set(lengths.value).size > 1) return fail('io-error', 'Could not refresh total sector count: Input/output error');
  node.nextChild = children.length;
  return OK;
}

export const quorum: Driver = {
  name: 'quorum',
  open,
  length: (s, n) => lengthBelow(s, n.name, 'children.0'),
  ruleFacts: (n) => optionFacts(n.opts),
  // a child may be replaced only where quorum is its one parent
  canReplace: (s, n, r) => childEdges(s, n.name).some((e) => e.child === r) && parentCount(s, r) === 1,
  votes: true,
  childList: true,
};
