// copy-on-read: a filter over `file`; a `bottom` freezes the chain down to it (block-stream's filter).
import { chainLinks, notFrozen } from '../check.ts';
import { findNode, isFilter, str } from '../graph.ts';
import { FILTERED } from '../perm-rules.ts';
import { OK, fail, seq } from '../result.ts';
import { filterOver } from './common.ts';
import type { Driver } from './driver.ts';

export const copyOnRead: Driver = {
  name: 'copy-on-read',
  open: ({ d, node, args, child }) =>
    seq(
      () => child('file', FILTERED),
      () => {
        const [bottom, b] = [str(args, 'bottom'), findNode(d, str(args, 'bottom') ?? '')];
        if (bottom === undefined) return OK;
        if (!b) return fail('not-found', `Bottom node '${bottom}' not found`);
        return isFilter(b) ? fail('invalid-param', `Bottom node '${bottom}' is a filter`) : notFrozen(d, chainLinks(d, node.name, bottom), node.name);
      },
    ),
  ...filterOver('file'),
  variableLength: true,
};
