// graph-is-acyclic — semantics §5.1 I1 (block.c bdrv_attach_child_noperm's cycle check): node→child edges form a DAG.
import type { SnapshotIndex } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';

/** The first cycle found by depth-first search, as node names (first name repeated at the end). */
export function findCycle(index: SnapshotIndex): string[] | undefined {
  const [g, byId] = [index.graph, index.byId];
  const out = new Map<number, number[]>();
  for (const e of g.edges) {
    if (e.parent.kind !== 'node' || !byId.has(e.childId)) continue;
    const list = out.get(e.parent.id);
    if (list) list.push(e.childId);
    else out.set(e.parent.id, [e.childId]);
  }
  const state = new Map<number, 'open' | 'done'>();
  const path: number[] = [];
  const visit = (id: number): number[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const c of out.get(id) ?? []) {
      const found = visit(c);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of g.nodes) {
    const found = visit(n.id);
    if (found) return found.map((id) => byId.get(id)?.name ?? `#${id}`);
  }
  return undefined;
}

export const graphIsAcyclic: Invariant = {
  kind: 'state',
  name: 'graph-is-acyclic',
  source: 'semantics §5.1 I1; block.c bdrv_attach_child_noperm',
  check(g, index): Violation[] {
    const cycle = findCycle(index);
    if (!cycle) return [];
    const drivers = new Map(g.nodes.map((n) => [n.name, n.driver]));
    // where the cycle starts is an accident of the search: the set of drivers on it says what closed it
    const key = `cycle:${[...new Set(cycle.map((n) => drivers.get(n) ?? '?'))].sort().join('+')}`;
    return [{ message: `cycle: ${cycle.join(' -> ')}`, key }];
  },
};
