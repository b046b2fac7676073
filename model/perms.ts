// Permissions from scratch: every node edge gets its parent driver's rule (perm-rules.ts) applied to the parent's
// cumulative perms, parents before children (one pass on an acyclic graph; nodes on a cycle repeat to a fixpoint).
import { childPermFor } from './perm-rules.ts';
import { ALL, NONE, intersectOf, samePerms, unionOf } from './perm-set.ts';
import type { PermSet } from './perm-set.ts';
import { ModelBug } from './result.ts';
import type { ModelState, NodeEdge } from './state.ts';

export type PermPair = { readonly perm: PermSet; readonly shared: PermSet };
/** A parent's use of a node, and who it is (for error texts). */
export type ParentUse = PermPair & { readonly desc: string; readonly edgeName: string };

/** Plain data computed once (by edge key and node name): a state may carry it, and equal graphs give equal perms. */
export class Perms {
  constructor(
    private readonly edges: ReadonlyMap<string, PermPair>,
    private readonly uses: ReadonlyMap<string, readonly ParentUse[]>,
    private readonly sums: ReadonlyMap<string, PermPair>,
  ) {}

  edge(e: NodeEdge): PermPair {
    return this.edges.get(keyOf(e)) ?? NOTHING;
  }

  /** Every parent edge of a node (bs->parents). */
  parents(name: string): readonly ParentUse[] {
    return this.uses.get(name) ?? [];
  }

  /** OR of perm, AND of shared over a node's parents (§1.4). */
  cumulative(name: string): PermPair {
    return this.sums.get(name) ?? NOTHING;
  }
}

export const NOTHING: PermPair = { perm: NONE, shared: ALL };
export const both = (a: PermPair, b: PermPair): PermPair => ({ perm: unionOf(a.perm, b.perm), shared: intersectOf(a.shared, b.shared) });
const keyOf = (e: NodeEdge): string => `${e.parent}\0${e.name}`;

/** Node edges grouped by a key (their parent or their child). */
function byKey(edges: readonly NodeEdge[], key: (e: NodeEdge) => string): Map<string, NodeEdge[]> {
  const m = new Map<string, NodeEdge[]>();
  for (const e of edges) m.set(key(e), [...(m.get(key(e)) ?? []), e]);
  return m;
}

/** Node names parents first (Kahn's order over node edges); nodes on or below a cycle are left out. */
function topological(s: ModelState, out: ReadonlyMap<string, readonly NodeEdge[]>): string[] {
  const indegree = new Map(s.nodes.map((n) => [n.name, 0]));
  for (const e of s.edges) indegree.set(e.child, (indegree.get(e.child) ?? 0) + 1);
  const order = s.nodes.filter((n) => indegree.get(n.name) === 0).map((n) => n.name);
  for (let i = 0; i < order.length; i++) {
    for (const e of out.get(order[i] ?? '') ?? []) {
      const left = (indegree.get(e.child) ?? 0) - 1;
      indegree.set(e.child, left);
      if (left === 0) order.push(e.child);
    }
  }
  return order;
}

export function computePerms(s: ModelState): Perms {
  const nodes = new Map(s.nodes.map((n) => [n.name, n]));
  const jobType = (id: string): string => s.jobs.find((j) => j.id === id)?.type ?? 'block';
  const uses = new Map<string, ParentUse[]>(s.nodes.map((n) => [n.name, []]));
  const put = (child: string, u: ParentUse): void => void uses.get(child)?.push(u);
  for (const b of s.bbs) put(b.child, { perm: b.perm, shared: b.shared, desc: 'an unnamed block device', edgeName: 'root' });
  for (const e of s.jobEdges) put(e.child, { perm: e.perm, shared: e.shared, desc: `${jobType(e.job)} job '${e.job}'`, edgeName: e.name });
  const [of, out, into] = [new Map<string, PermPair>(), byKey(s.edges, (e) => e.parent), byKey(s.edges, (e) => e.child)];
  const cumulativeNow = (name: string): PermPair => {
    let acc = (uses.get(name) ?? []).reduce(both, NOTHING);
    for (const e of into.get(name) ?? []) acc = both(acc, of.get(keyOf(e)) ?? NOTHING);
    return acc;
  };
  const facts = new Map(s.nodes.map((n) => [n.name, s.drivers[n.driver].ruleFacts?.(n) ?? {}]));
  /** Sets the perms of `name`'s child edges from its cumulative perms; whether any changed. */
  const derive = (name: string): boolean => {
    const [p, cum] = [nodes.get(name), cumulativeNow(name)];
    let changed = false;
    for (const e of out.get(name) ?? []) {
      const c = nodes.get(e.child);
      if (!p || !c) throw new ModelBug(`an edge ${e.parent} -${e.name}-> ${e.child} to or from no node`);
      const r = childPermFor({ ...cum, driver: p.driver, childName: e.name, role: e.role, writable: !p.readOnly, inactive: false, facts: facts.get(name) ?? {}, childForceShare: c.forceShare });
      if (!r.ok) throw new ModelBug(`no perm rule for ${p.driver} -${e.name}->`);
      const cur = of.get(keyOf(e)) ?? NOTHING;
      if (samePerms(r.perm, cur.perm) && samePerms(r.shared, cur.shared)) continue;
      of.set(keyOf(e), { perm: r.perm, shared: r.shared });
      changed = true;
    }
    return changed;
  };
  const order = topological(s, out);
  for (const name of order) derive(name);
  const ordered = new Set(order);
  const cyclic = s.nodes.filter((n) => !ordered.has(n.name)).map((n) => n.name);
  for (let round = 0, changed = cyclic.length > 0; changed; round++) {
    if (round > s.edges.length + 1) throw new ModelBug('perms do not settle: the graph has a cycle');
    changed = cyclic.map(derive).some((x) => x);
  }
  for (const e of s.edges) put(e.child, { ...(of.get(keyOf(e)) ?? NOTHING), desc: `node '${e.parent}'`, edgeName: e.name });
  return new Perms(of, uses, new Map([...uses].map(([name, us]) => [name, us.reduce(both, NOTHING)])));
}

/** What perms read of a state, flat (a rule's facts come from a node's options and mirror state): equal inputs give
 * equal perms. Options, roles and perm sets are compared by identity, which commands only ever replace. */
export function permInputs(s: ModelState): unknown[] {
  const out: unknown[] = [];
  for (const n of s.nodes) out.push(n.name, n.driver, n.readOnly, n.forceShare, n.opts, n.mirror?.commit, n.mirror?.stopping);
  for (const e of s.edges) out.push(e.parent, e.name, e.child, e.role);
  for (const b of s.bbs) out.push(b.child, b.perm, b.shared);
  for (const e of s.jobEdges) out.push(e.job, e.name, e.child, e.perm, e.shared);
  for (const j of s.jobs) out.push(j.id, j.type);
  return out;
}
export const sameInputs = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Perms as computed for a state, and from what (permInputs): the state carries them, so each is computed once. */
export interface PermsMemo {
  readonly inputs: readonly unknown[];
  readonly perms: Perms;
}

/** A state's perms: those it carries while what they were computed from is unchanged, else computed now (and not
 * kept: a state given to the model stays as it was). */
export function permsOf(s: ModelState): Perms {
  const m = s.perms;
  return m !== undefined && sameInputs(m.inputs, permInputs(s)) ? m.perms : computePerms(s);
}

/** The same, kept on a state the caller owns (a draft, a state being committed), so each is computed once. */
export function carriedPerms(s: ModelState): Perms {
  const inputs = permInputs(s);
  if (s.perms !== undefined && sameInputs(s.perms.inputs, inputs)) return s.perms.perms;
  const perms = computePerms(s);
  s.perms = { inputs, perms };
  return perms;
}
