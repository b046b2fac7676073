// filter-has-one-filtered-child — semantics §1.2, §5.1 I6 (block_int-common.h is_filter; block-common.h "at most one
// filtered child"): a filter has exactly one FILTERED child under its driver's name; COW children only where backing is supported.
import { DRIVER_FACTS } from '../../model/perm-rules.ts';
import type { DriverFacts } from '../../model/perm-rules.ts';
import type { SnapEdge, SnapNode } from '../snapshot.ts';
import type { Invariant, Violation } from './invariant.ts';

/** The spec's facts where it knows the driver, else what the impl's driver record says. */
function factsOf(n: SnapNode): DriverFacts {
  return DRIVER_FACTS[n.driver] ?? { isFilter: n.isFilter, supportsBacking: n.supportsBacking };
}

export const filterHasOneFilteredChild: Invariant = {
  kind: 'state',
  name: 'filter-has-one-filtered-child',
  source: 'semantics §1.2, §5.1 I6; include/block/block-common.h BDRV_CHILD_FILTERED',
  check(g, index): Violation[] {
    const out: Violation[] = [];
    const say = (n: SnapNode, message: string): void => void out.push({ message: `${n.driver} node '${n.name}' ${message}`, key: `${n.driver}:${message.replace(/'[^']*'/g, 'X')}` });
    for (const n of g.nodes) {
      const facts = factsOf(n);
      const kids = index.childEdges(n.id);
      // counted, not listed: every node of every step comes through here
      let filtered = 0;
      let cow = 0;
      let f: SnapEdge | undefined;
      for (const e of kids) {
        if (e.role.kind === 'filtered') {
          filtered++;
          f ??= e;
        } else if (e.role.kind === 'cow') cow++;
      }
      if (facts.isFilter && filtered !== 1) say(n, `is a filter with ${filtered} filtered children`);
      if (!facts.isFilter && filtered > 1) say(n, `has ${filtered} filtered children`);
      if (facts.isFilter && facts.filteredChild !== undefined && f !== undefined && f.name !== facts.filteredChild) {
        say(n, `filters through '${f.name}' instead of '${facts.filteredChild}'`);
      }
      if (cow > 0 && (facts.isFilter || !facts.supportsBacking)) say(n, `has a COW child but does not support backing files`);
      if (cow > 1) say(n, `has ${cow} COW children`);
      if (cow > 0) for (const e of kids) if (e.role.kind === 'cow' && e.name !== 'backing') say(n, `has COW child named '${e.name}'`);
    }
    return out;
  },
};
