// no-dangling-edges — block.c bdrv_attach_child_common / bdrv_replace_child_noperm keep both lists in step:
// every edge points at a live node that lists it once among its parents, and every listed parent edge exists.
import type { GraphSnapshot } from '../snapshot.ts';
import { describeSnapEdge, parentLabel, type SnapshotIndex } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';

export const noDanglingEdges: Invariant = {
  kind: 'state',
  name: 'no-dangling-edges',
  source: 'block.c bdrv_attach_child_common, bdrv_replace_child_noperm (QLIST of parents and children)',
  check(g: GraphSnapshot, index: SnapshotIndex): Violation[] {
    const out: Violation[] = [];
    const byId = index.byId;
    const edgeKeys = new Map(g.edges.map((e) => [e.key, e]));
    for (const n of g.nodes) {
      if (n.closed) out.push({ message: `closed node '${n.name}' is still in the graph` });
      if (n.listedAs !== n.name) out.push({ message: `node '${n.name}' is listed as '${n.listedAs}'` });
    }
    for (const e of g.edges) {
      const child = byId.get(e.childId);
      if (!child) out.push({ message: `${describeSnapEdge(e)} points at '${e.child}', which is not in the graph` });
      else {
        // counted, not filtered into a list: every edge of every step comes through here
        let listed = 0;
        for (const k of child.parentEdges) if (k === e.key) listed++;
        if (listed !== 1) out.push({ message: `${describeSnapEdge(e)} is listed ${listed} times among '${child.name}''s parents` });
      }
      if (e.declaredParent.kind !== e.parent.kind || e.declaredParent.id !== e.parent.id) {
        out.push({ message: `${describeSnapEdge(e)} is listed by ${parentLabel(e.parent)} but names ${parentLabel(e.declaredParent)} as its parent` });
      }
    }
    for (const n of g.nodes) {
      for (const k of n.parentEdges) {
        const e = edgeKeys.get(k);
        if (!e) out.push({ message: `'${n.name}' lists parent edge ${k}, which no live parent holds` });
        else if (e.childId !== n.id) out.push({ message: `'${n.name}' lists parent edge ${describeSnapEdge(e)}, which points elsewhere` });
      }
    }
    return out;
  },
};
