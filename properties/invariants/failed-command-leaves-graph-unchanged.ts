// failed-command-leaves-graph-unchanged — semantics §2.5 step 3, §5.1 I9 (util/transaction.c tran_abort): an error
// reply leaves nodes, edges, perms, options, exports and objects exactly as they were.
import { diffSnapshots } from '../snapshot-diff.ts';
import type { Invariant, Violation } from './invariant.ts';

const SHOWN = 3;

export const failedCommandLeavesGraphUnchanged: Invariant = {
  kind: 'step',
  name: 'failed-command-leaves-graph-unchanged',
  source: 'semantics §2.5 step 3, §5.1 I9; util/transaction.c tran_abort',
  check({ before, after, outcome }): Violation[] {
    if (outcome.kind !== 'error') return [];
    const diff = diffSnapshots(before, after);
    if (diff.length === 0) return [];
    const more = diff.length > SHOWN ? ` (and ${diff.length - SHOWN} more)` : '';
    return [{ message: `failed with '${outcome.desc}' but changed ${diff.slice(0, SHOWN).join('; ')}${more}` }];
  },
};
