// Read-only views over a snapshot that several invariants share: lookups, cumulative perms, order.
import { ALL, NONE, intersectOf, unionOf } from '../../model/perm-set.ts';
import type { PermSet } from '../../model/perm-set.ts';
import type { GraphSnapshot, SnapEdge, SnapNode, SnapParent } from '../snapshot.ts';

interface Index {
  readonly byId: ReadonlyMap<number, SnapNode>;
  readonly into: ReadonlyMap<number, readonly SnapEdge[]>;
  readonly outOf: ReadonlyMap<number, readonly SnapEdge[]>;
}

// every invariant asks the same questions of the same snapshot: index it once
const indexes = new WeakMap<GraphSnapshot, Index>();

function indexOf(g: GraphSnapshot): Index {
  const known = indexes.get(g);
  if (known) return known;
  const into = new Map<number, SnapEdge[]>();
  const outOf = new Map<number, SnapEdge[]>();
  const put = (m: Map<number, SnapEdge[]>, k: number, e: SnapEdge): void => {
    const list = m.get(k);
    if (list) list.push(e);
    else m.set(k, [e]);
  };
  for (const e of g.edges) {
    put(into, e.childId, e);
    if (e.parent.kind === 'node') put(outOf, e.parent.id, e);
  }
  const index = { byId: new Map(g.nodes.map((n) => [n.id, n])), into, outOf };
  indexes.set(g, index);
  return index;
}

export function nodesById(g: GraphSnapshot): ReadonlyMap<number, SnapNode> {
  return indexOf(g).byId;
}

/** Edges whose child is `id`, in snapshot order. */
export function edgesInto(g: GraphSnapshot, id: number): readonly SnapEdge[] {
  return indexOf(g).into.get(id) ?? [];
}

/** Node→child edges listed by node `id`. */
export function childEdges(g: GraphSnapshot, id: number): readonly SnapEdge[] {
  return indexOf(g).outOf.get(id) ?? [];
}

/** §1.4: P(n) = OR of perm, Sh(n) = AND of shared (ALL without parents). */
export function cumulative(edges: readonly { readonly perm: PermSet; readonly shared: PermSet }[]): { perm: PermSet; shared: PermSet } {
  let perm = NONE;
  let shared = ALL;
  for (const e of edges) {
    perm = unionOf(perm, e.perm);
    shared = intersectOf(shared, e.shared);
  }
  return { perm, shared };
}

/** Parents before children over node→child edges (Kahn); undefined when there is a cycle. */
export function topologicalNodes(g: GraphSnapshot): SnapNode[] | undefined {
  const byId = nodesById(g);
  const indegree = new Map<number, number>(g.nodes.map((n) => [n.id, 0]));
  const live = (e: SnapEdge): boolean => e.parent.kind === 'node' && byId.has(e.parent.id) && byId.has(e.childId);
  for (const e of g.edges) if (live(e)) indegree.set(e.childId, (indegree.get(e.childId) ?? 0) + 1);
  const ready = g.nodes.filter((n) => indegree.get(n.id) === 0);
  const out: SnapNode[] = [];
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i];
    if (n === undefined) break;
    out.push(n);
    for (const e of childEdges(g, n.id)) {
      if (!live(e)) continue;
      const d = (indegree.get(e.childId) ?? 0) - 1;
      indegree.set(e.childId, d);
      const c = byId.get(e.childId);
      if (d === 0 && c !== undefined) ready.push(c);
    }
  }
  return out.length === g.nodes.length ? out : undefined;
}

export function showPerms(p: PermSet): string {
  if (p.length === ALL.length) return 'ALL';
  return p.length === 0 ? '-' : p.join(',');
}

export function parentLabel(p: SnapParent): string {
  switch (p.kind) {
    case 'node':
      return p.name;
    case 'backend':
      return p.name === '' ? `bb#${p.id}` : `bb(${p.name})`;
    case 'job':
      return `job:${p.name}`;
  }
}

export function describeSnapEdge(e: SnapEdge): string {
  return `${parentLabel(e.parent)} -${e.name}-> ${e.child} [${showPerms(e.perm)}/${showPerms(e.shared)}]`;
}
