// blkverify: a filter over `raw` that also reads `test` (DATA) and compares; its length and reads are test's.
import { canReplace, childEdges, lengthBelow } from '../graph.ts';
import { DATA, FILTERED } from '../perm-rules.ts';
import { seq } from '../result.ts';
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

export const blkverify: Driver = {
  name: 'blkverify',
  open: (c) => seq(() => c.child('raw', FILTERED), () => c.child('test', DATA)),
  ...filterOver('raw'),
  length: (s, n) => lengthBelow(s, n.name, 'test'),
  readAtZero: () => ({ kind: 'child', edge: 'test' }),
  canReplace: (s, n, r) => childEdges(s, n.name).some((e) => (e.name === 'raw' || e.name === 'test') && canReplace(s, e.child, r)),
};
