// Read-only views over a snapshot that several invariants share: lookups, cumulative perms, order.
import { ALL_PERMS, NO_PERMS, intersect, union } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import type { GraphSnapshot, SnapEdge, SnapNode, SnapParent } from '../snapshot.ts';

/** The snapshot's nodes by id. */
export function nodesById(g: GraphSnapshot): ReadonlyMap<number, SnapNode> {
  return new Map(g.nodes.map((n) => [n.id, n]));
}

/** One snapshot's lookups, built once where a step's invariants are judged and handed to each state check. */
export class SnapshotIndex {
  readonly byId: ReadonlyMap<number, SnapNode>;
  private readonly into = new Map<number, SnapEdge[]>();
  private readonly outOf = new Map<number, SnapEdge[]>();

  constructor(readonly graph: GraphSnapshot) {
    const put = (m: Map<number, SnapEdge[]>, k: number, e: SnapEdge): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    for (const e of graph.edges) {
      put(this.into, e.childId, e);
      if (e.parent.kind === 'node') put(this.outOf, e.parent.id, e);
    }
    this.byId = nodesById(graph);
  }

  /** Edges whose child is `id`, in snapshot order. */
  edgesInto(id: number): readonly SnapEdge[] {
    return this.into.get(id) ?? [];
  }

  /** Node→child edges listed by node `id`. */
  childEdges(id: number): readonly SnapEdge[] {
    return this.outOf.get(id) ?? [];
  }
}

/** §1.4: P(n) = OR of perm, Sh(n) = AND of shared (ALL without parents). */
export function cumulative(edges: readonly { readonly perm: PermSet; readonly shared: PermSet }[]): { perm: PermSet; shared: PermSet } {
  let perm = NO_PERMS;
  let shared = ALL_PERMS;
  for (const e of edges) {
    perm = union(perm, e.perm);
    shared = intersect(shared, e.shared);
  }
  return { perm, shared };
}

/** Parents before children over node→child edges (Kahn); undefined when there is a cycle. */
export function topologicalNodes(ix: SnapshotIndex): SnapNode[] | undefined {
  const [g, byId] = [ix.graph, ix.byId];
  const indegree = new Map<number, number>(g.nodes.map((n) => [n.id, 0]));
  const live = (e: SnapEdge): boolean => e.parent.kind === 'node' && byId.has(e.parent.id) && byId.has(e.childId);
  for (const e of g.edges) if (live(e)) indegree.set(e.childId, (indegree.get(e.childId) ?? 0) + 1);
  const ready = g.nodes.filter((n) => indegree.get(n.id) === 0);
  const out: SnapNode[] = [];
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i];
    if (n === undefined) break;
    out.push(n);
    for (const e of ix.childEdges(n.id)) {
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
  if (p.length === ALL_PERMS.length) return 'ALL';
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
