// null-co: a protocol without storage; reads give zeros (or nothing), never a header.
import { num } from '../graph.ts';
import { OK, fail } from '../result.ts';
import type { Driver } from './driver.ts';

export const nullCo: Driver = {
  name: 'null-co',
  protocol: true,
  // 7.2 aborts on a negative size (error_abort in parse_option_size); it is simply invalid
  open: ({ args }) => ((num(args, 'size') ?? 0) < 0 ? fail('invalid-param', "Parameter 'size' expects a non-negative number below 2^64") : OK),
  reopenMutable: [],
  length: (_, n) => num(n.opts, 'size') ?? 2 ** 30,
  readAtZero: () => ({ kind: 'other-bytes' }),
};
