// read-only-nodes-have-no-writers — semantics §5.1 I4 (block.c bdrv_node_refresh_perm): P(n) ∋ W or U only if n is writable.
import { cumulative, showPerms } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';
import { edgeTag, permLetters } from '../signature/what-is-wrong.ts';

export const readOnlyNodesHaveNoWriters: Invariant = {
  kind: 'state',
  name: 'read-only-nodes-have-no-writers',
  source: 'semantics §2.5 step 2b, §5.1 I4',
  check(g, index): Violation[] {
    const out: Violation[] = [];
    for (const n of g.nodes) {
      if (!n.readOnly) continue;
      const { perm } = cumulative(index.edgesInto(n.id));
      if (perm.includes('write') || perm.includes('write-unchanged')) {
        const writers = index.edgesInto(n.id).filter((e) => e.perm.includes('write') || e.perm.includes('write-unchanged'));
        const key = `${n.driver}:${[...new Set(writers.map((e) => `${edgeTag(g, e)}[${permLetters(e.perm)}]`))].sort().join('+')}`;
        out.push({ message: `read-only node '${n.name}' has cumulative perm ${showPerms(perm)}`, key });
      }
    }
    return out;
  },
};
