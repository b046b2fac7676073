// Permissions from scratch: every node edge gets its parent driver's rule (perm-rules.ts) applied to the parent's
// cumulative perms, repeated until nothing changes (a fixpoint; on an acyclic graph at most depth + 1 rounds).
import { childPermFor } from './perm-rules.ts';
import { ALL, NONE, intersectOf, samePerms, unionOf } from './perm-set.ts';
import type { PermSet } from './perm-set.ts';
import { ModelBug } from './result.ts';
import type { ModelState, NodeEdge } from './state.ts';

export type PermPair = { readonly perm: PermSet; readonly shared: PermSet };
/** A parent's use of a node, and who it is (for error texts). */
export type ParentUse = PermPair & { readonly desc: string; readonly edgeName: string };

export interface Perms {
  edge(e: NodeEdge): PermPair;
  /** Every parent edge of a node (bs->parents). */
  parents(name: string): readonly ParentUse[];
  /** OR of perm, AND of shared over a node's parents (§1.4). */
  cumulative(name: string): PermPair;
}

export const NOTHING: PermPair = { perm: NONE, shared: ALL };
export const both = (a: PermPair, b: PermPair): PermPair => ({ perm: unionOf(a.perm, b.perm), shared: intersectOf(a.shared, b.shared) });

/** Each node's distance below the nodes nobody uses (longest path up); on a cycle, which never settles, any. */
function depths(into: ReadonlyMap<string, readonly NodeEdge[]>): (name: string) => number {
  const memo = new Map<string, number>();
  const depth = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, 0);
    const d = 1 + Math.max(-1, ...(into.get(name) ?? []).map((e) => depth(e.parent)));
    memo.set(name, d);
    return d;
  };
  return depth;
}

export function computePerms(s: ModelState): Perms {
  const of = new Map<NodeEdge, PermPair>(s.edges.map((e) => [e, NOTHING]));
  const nodes = new Map(s.nodes.map((n) => [n.name, n]));
  const jobType = (id: string): string => s.jobs.find((j) => j.id === id)?.type ?? 'block';
  // fixed parents (backends, job edges) and node edges, by child: asked for every edge in every round
  const [fixed, into] = [new Map<string, ParentUse[]>(), new Map<string, NodeEdge[]>()];
  const put = <T>(m: Map<string, T[]>, k: string, v: T): void => void (m.get(k) ?? m.set(k, []).get(k))?.push(v);
  for (const b of s.bbs) put(fixed, b.child, { perm: b.perm, shared: b.shared, desc: 'an unnamed block device', edgeName: 'root' });
  for (const e of s.jobEdges) put(fixed, e.child, { perm: e.perm, shared: e.shared, desc: `${jobType(e.job)} job '${e.job}'`, edgeName: e.name });
  for (const e of s.edges) put(into, e.child, e);
  const parents = (name: string): ParentUse[] => [
    ...(fixed.get(name) ?? []),
    ...(into.get(name) ?? []).map((e) => ({ ...(of.get(e) ?? NOTHING), desc: `node '${e.parent}'`, edgeName: e.name })),
  ];
  const cumulative = (name: string): PermPair => {
    let acc = NOTHING;
    for (const p of fixed.get(name) ?? []) acc = both(acc, p);
    for (const e of into.get(name) ?? []) acc = both(acc, of.get(e) ?? NOTHING);
    return acc;
  };
  const facts = new Map(s.nodes.map((n) => [n.name, s.drivers[n.driver].ruleFacts?.(n) ?? {}]));
  const rule = (e: NodeEdge): PermPair => {
    const [p, c] = [nodes.get(e.parent), nodes.get(e.child)];
    if (!p || !c) throw new ModelBug(`an edge ${e.parent} -${e.name}-> ${e.child} to or from no node`);
    const r = childPermFor({ ...cumulative(p.name), driver: p.driver, childName: e.name, role: e.role, writable: !p.readOnly, inactive: false, facts: facts.get(p.name) ?? {}, childForceShare: c.forceShare });
    if (!r.ok) throw new ModelBug(`no perm rule for ${p.driver} -${e.name}->`);
    return r;
  };
  // parents' edges before their children's, so a round mostly settles at once
  const depth = depths(into);
  const order = [...s.edges].sort((a, b) => depth(a.parent) - depth(b.parent));
  for (let round = 0, changed = true; changed; round++) {
    if (round > s.edges.length + 1) throw new ModelBug('perms do not settle: the graph has a cycle');
    changed = false;
    for (const e of order) {
      const [next, cur] = [rule(e), of.get(e) ?? NOTHING];
      if (samePerms(next.perm, cur.perm) && samePerms(next.shared, cur.shared)) continue;
      of.set(e, next);
      changed = true;
    }
  }
  return { edge: (e) => of.get(e) ?? NOTHING, parents, cumulative };
}
