// blkdebug: a filter over `image` that takes and unshares extra perms, and may ask writers for aligned lengths.
import { num, str } from '../graph.ts';
import { FILTERED, optionFacts } from '../perm-rules.ts';
import { OK, fail, seq } from '../result.ts';
import { PERM_LIST } from '../schema.ts';
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

const powerOfTwo = (n: number): boolean => n < 2 ** 31 - 1 && (n & (n - 1)) === 0;

export const blkdebug: Driver = {
  name: 'blkdebug',
  members: { image: 'ref', 'config?': 'str', 'align?': 'int', 'take-child-perms?': PERM_LIST, 'unshare-child-perms?': PERM_LIST },
  open: ({ d, args, child }) =>
    seq(
      () => (str(args, 'config') === undefined || d.images[str(args, 'config') ?? ''] ? OK : fail('io-error', 'Could not read blkdebug config file')),
      () => child('image', FILTERED),
      () => ((num(args, 'align') ?? 0) === 0 || powerOfTwo(num(args, 'align') ?? 0) ? OK : fail('invalid-param', `Cannot meet constraints with align ${num(args, 'align') ?? 0}`)),
    ),
  reopenMutable: [],
  ...filterOver('image'),
  ruleFacts: (n) => optionFacts(n.opts),
  writeAlign: (n) => num(n.opts, 'align') ?? 0,
};
