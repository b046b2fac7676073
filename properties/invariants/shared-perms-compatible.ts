// shared-perms-compatible — semantics §5.1 I2 (block.c bdrv_parent_perms_conflict): no edge uses what another edge on the same child does not share.
import { minus, isSubset } from '../../qmp/perm-set.ts';
import { describeSnapEdge, showPerms } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';
import { edgeTag, permLetters } from '../signature/what-is-wrong.ts';

export const sharedPermsCompatible: Invariant = {
  kind: 'state',
  name: 'shared-perms-compatible',
  source: 'semantics §2.5 step 2a, §5.1 I2; block.c bdrv_parent_perms_conflict',
  check(g, index): Violation[] {
    const out: Violation[] = [];
    for (const n of g.nodes) {
      const parents = index.edgesInto(n.id);
      for (const a of parents) {
        for (const b of parents) {
          if (a === b || isSubset(b.perm, a.shared)) continue;
          const key = `${n.driver}:${edgeTag(g, b)}-uses-${permLetters(minus(b.perm, a.shared))}-unshared-by-${edgeTag(g, a)}`;
          out.push({ message: `on '${n.name}': ${describeSnapEdge(b)} uses ${showPerms(minus(b.perm, a.shared))} that ${describeSnapEdge(a)} does not share`, key });
        }
      }
    }
    return out;
  },
};
