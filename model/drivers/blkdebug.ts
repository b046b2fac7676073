// blkdebug: a filter over `image` that takes and unshares extra perms, and may ask writers for aligned lengths.
import { num, str } from '../graph.ts';
import { FILTERED, optionFacts } from '../perm-rules.ts';
import { OK, fail, seq } from '../result.ts';
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

export const blkdebug: Driver = {
  name: 'blkdebug',
  open: ({ d, args, child }) => {
    const align = num(args, 'align') ?? 0;
    return seq(
      () => (str(args, 'config') === undefined || d.images[str(args, 'config') ?? ''] ? OK : fail('io-error', 'Could not read blkdebug config file')),
      () => child('image', FILTERED),
      () => (align === 0 || (align < 2 ** 31 - 1 && (align & (align - 1)) === 0) ? OK : fail('invalid-param', `Cannot meet constraints with align ${align}`)),
    );
  },
  reopenMutable: [],
  ...filterOver('image'),
  ruleFacts: (n) => optionFacts(n.opts),
  writeAlign: (n) => num(n.opts, 'align') ?? 0,
};
