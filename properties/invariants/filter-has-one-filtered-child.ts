// filter-has-one-filtered-child — semantics §1.2, §5.1 I6 (block_int-common.h is_filter; block-common.h "at most one
// filtered child"): a filter has exactly one FILTERED child under its driver's name; COW children only where backing is supported.
import { DRIVER_FACTS } from '../../model/perm-rules.ts';
import type { DriverFacts } from '../../model/perm-rules.ts';
import type { SnapNode } from '../snapshot.ts';
import { childEdges } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';

/** The spec's facts where it knows the driver, else what the impl's driver record says. */
function factsOf(n: SnapNode): DriverFacts {
  return DRIVER_FACTS[n.driver] ?? { isFilter: n.isFilter, supportsBacking: n.supportsBacking };
}

export const filterHasOneFilteredChild: Invariant = {
  kind: 'state',
  name: 'filter-has-one-filtered-child',
  source: 'semantics §1.2, §5.1 I6; include/block/block-common.h BDRV_CHILD_FILTERED',
  check(g): Violation[] {
    const out: Violation[] = [];
    for (const n of g.nodes) {
      const facts = factsOf(n);
      const kids = childEdges(g, n.id);
      const filtered = kids.filter((e) => e.role.kind === 'filtered');
      const cow = kids.filter((e) => e.role.kind === 'cow');
      const say = (message: string): void => void out.push({ message: `${n.driver} node '${n.name}' ${message}`, key: `${n.driver}:${message.replace(/'[^']*'/g, 'X')}` });
      if (facts.isFilter && filtered.length !== 1) say(`is a filter with ${filtered.length} filtered children`);
      if (!facts.isFilter && filtered.length > 1) say(`has ${filtered.length} filtered children`);
      const f = filtered[0];
      if (facts.isFilter && facts.filteredChild !== undefined && f !== undefined && f.name !== facts.filteredChild) {
        say(`filters through '${f.name}' instead of '${facts.filteredChild}'`);
      }
      if (cow.length > 0 && (facts.isFilter || !facts.supportsBacking)) say(`has a COW child but does not support backing files`);
      if (cow.length > 1) say(`has ${cow.length} COW children`);
      for (const e of cow) if (e.name !== 'backing') say(`has COW child named '${e.name}'`);
    }
    return out;
  },
};
