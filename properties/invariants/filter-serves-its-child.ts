// filter-serves-its-child — semantics §3.10, §5.2 f) (block/io.c bdrv_co_common_block_status_above walks
// bdrv_filter_or_cow_bs since 5.2): a filter's block status is its filtered child's. Judged where both were observed
// with nothing in between but other block-status observations (which change nothing), and where the filter adds no
// request alignment of its own (a blkdebug `align` makes the NBD client round the child's extents).
import { extentsDiffer, extentsOf, filteredChild, lastObservation, nodeNamed, observed, requestAlignment } from './served-steps.ts';
import type { Invariant, StepFacts, Violation } from './invariant.ts';

/** The block-status observations since the last step that was anything else, the current one last. */
function quietStatusSteps(steps: readonly StepFacts[]): StepFacts[] {
  const out: StepFacts[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.command.execute !== 'observe-block-status') break;
    out.unshift(s);
  }
  return out;
}

export const filterServesItsChild: Invariant = {
  kind: 'history',
  name: 'filter-serves-its-child',
  source: 'semantics §3.10, §5.2 f); block/io.c bdrv_co_common_block_status_above',
  check(steps): Violation[] {
    const last = lastObservation(steps, 'observe-block-status');
    if (!last) return [];
    const { step: cur, seen: now } = last;
    const g = cur.after;
    const out: Violation[] = [];
    for (const other of quietStatusSteps(steps).slice(0, -1)) {
      const then = observed(other);
      if (!then || then.node === now.node) continue;
      const a = nodeNamed(g, now.node);
      const b = nodeNamed(g, then.node);
      if (!a || !b) continue;
      const [filter, child, fv, cv] = filteredChild(g, a)?.id === b.id ? [a, b, now.value, then.value] : filteredChild(g, b)?.id === a.id ? [b, a, then.value, now.value] : [];
      if (!filter || !child || fv === undefined || cv === undefined) continue;
      if (requestAlignment(filter) !== requestAlignment(child)) continue;
      const differs = extentsDiffer(extentsOf(fv), extentsOf(cv));
      if (differs !== undefined) {
        // `copy-on-read>qcow2:depth`: the filter, its child's driver, and which part of the first differing extent
        const key = `${filter.driver}>${child.driver}:${differs}`;
        out.push({ message: `${filter.driver} filter '${filter.name}' serves block status ${JSON.stringify(fv).slice(0, 300)} but its filtered child '${child.name}' serves ${JSON.stringify(cv).slice(0, 300)}`, key });
      }
    }
    return out;
  },
};
