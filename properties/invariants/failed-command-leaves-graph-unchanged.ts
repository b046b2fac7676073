// failed-command-leaves-graph-unchanged — semantics §2.5 step 3, §5.1 I9 (util/transaction.c tran_abort): an error
// reply leaves nodes, edges, perms, options, exports and objects exactly as they were.
import type { GraphSnapshot } from '../snapshot.ts';
import { diffSnapshots } from '../snapshot-diff.ts';
import type { Invariant, Violation } from './invariant.ts';

const SHOWN = 3;

/** A block_resize that allocates on a qcow2 cut below its refcounts fails after qcow2_signal_corruption cleared
 * bs->drv: not undone (core-diff-33, -40). */
function withoutDriverGone(g: GraphSnapshot): GraphSnapshot {
  return { ...g, nodes: g.nodes.map((n) => ({ ...n, state: Object.fromEntries(Object.entries(n.state).filter(([k]) => k !== 'driverGone')) })) };
}

export const failedCommandLeavesGraphUnchanged: Invariant = {
  kind: 'step',
  name: 'failed-command-leaves-graph-unchanged',
  source: 'semantics §2.5 step 3, §5.1 I9; util/transaction.c tran_abort',
  check({ before, after, command, outcome }): Violation[] {
    if (outcome.kind !== 'error') return [];
    const diff = diffSnapshots(before, after);
    if (diff.length === 0) return [];
    if (command.execute === 'block_resize' && diffSnapshots(withoutDriverGone(before), withoutDriverGone(after)).length === 0) return [];
    const more = diff.length > SHOWN ? ` (and ${diff.length - SHOWN} more)` : '';
    return [{ message: `failed with '${outcome.desc}' but changed ${diff.slice(0, SHOWN).join('; ')}${more}` }];
  },
};
