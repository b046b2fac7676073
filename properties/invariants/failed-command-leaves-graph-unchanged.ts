// failed-command-leaves-graph-unchanged — semantics §2.5 step 3, §5.1 I9 (util/transaction.c tran_abort): an error
// reply leaves nodes, edges, perms, options, exports and objects exactly as they were.
import { diffSnapshots } from '../snapshot-diff.ts';
import type { Invariant, Violation } from './invariant.ts';

const SHOWN = 3;

/** Node fields by what a leftover of them means: options and flags a reopen left, or state a driver lost. */
const NODE_FIELD_KIND: Readonly<Record<string, string>> = {
  options: 'node-options',
  readOnly: 'node-options',
  optionsOldestFirst: 'node-options',
  forceShare: 'node-options',
  driverGone: 'node-state',
  size: 'node-state',
  state: 'node-state',
  parentEdges: 'edges',
};

/** The kinds that say most about a failed command's leftover, first: one defect often leaves several at once. */
const TELLING = ['node-state', 'edges', 'node-options'];

/**
 * `edges`: the most telling kind of thing that changed (diffSnapshots' `what name: field` and `what added: …`), so a
 * leaked edge with a stale flag beside it is the leaked edge; kinds outside TELLING all count, joined by `+`.
 */
function changeKinds(diff: readonly string[]): string {
  const kinds = diff.map((line) => {
    const m = /^([\w-]+) (?:(added|removed): |\S+: (\w+) )/.exec(line);
    if (!m) return line.split(':')[0] ?? line;
    const [, what = '', added, field = ''] = m;
    if (added !== undefined) return what === 'edge' ? 'edges' : `${what}-${added}`;
    return what === 'edge' ? 'edges' : what === 'node' ? (NODE_FIELD_KIND[field] ?? `node.${field}`) : `${what}.${field}`;
  });
  const first = TELLING.find((k) => kinds.includes(k));
  return first ?? [...new Set(kinds)].sort().join('+');
}

export const failedCommandLeavesGraphUnchanged: Invariant = {
  kind: 'step',
  name: 'failed-command-leaves-graph-unchanged',
  source: 'semantics §2.5 step 3, §5.1 I9; util/transaction.c tran_abort',
  check({ before, after, outcome, same }): Violation[] {
    if (outcome.kind !== 'error' || same === true) return [];
    const diff = diffSnapshots(before, after);
    if (diff.length === 0) return [];
    const more = diff.length > SHOWN ? ` (and ${diff.length - SHOWN} more)` : '';
    return [{ message: `failed with '${outcome.desc}' but changed ${diff.slice(0, SHOWN).join('; ')}${more}`, key: changeKinds(diff) }];
  },
};
