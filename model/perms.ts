// Permissions from scratch: every node edge gets its parent driver's rule (perm-rules.ts) applied to the parent's
// cumulative perms, which its own parents give first (the model never builds a cycle: attaching refuses one).
import { childPermFor, type NodeFacts } from './perm-rules.ts';
import { ALL_PERMS, NO_PERMS, intersect, union, type PermPair } from '../qmp/perm-set.ts';
import { ModelBug } from './result.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

/** Plain data computed once (by edge key and node name): a state may carry it, and equal graphs give equal perms. */
export class Perms {
  constructor(
    private readonly edges: ReadonlyMap<string, PermPair>,
    private readonly uses: ReadonlyMap<string, readonly PermPair[]>,
    private readonly sums: ReadonlyMap<string, PermPair>,
  ) {}

  edge(e: NodeEdge): PermPair {
    return this.edges.get(keyOf(e)) ?? NOTHING;
  }

  /** Every parent edge of a node (bs->parents). */
  parents(name: string): readonly PermPair[] {
    return this.uses.get(name) ?? [];
  }

  /** OR of perm, AND of shared over a node's parents (§1.4). */
  cumulative(name: string): PermPair {
    return this.sums.get(name) ?? NOTHING;
  }
}

export const NOTHING: PermPair = { perm: NO_PERMS, shared: ALL_PERMS };
export const both = (a: PermPair, b: PermPair): PermPair => ({ perm: union(a.perm, b.perm), shared: intersect(a.shared, b.shared) });
const keyOf = (e: NodeEdge): string => `${e.parent}\0${e.name}`;

export function computePerms(s: ModelState): Perms {
  const nodes = new Map<string, MNode>();
  for (const n of s.nodes) nodes.set(n.name, n);
  const [uses, into] = [new Map<string, PermPair[]>(), new Map<string, NodeEdge[]>()];
  for (const b of s.bbs) put(uses, b.child, b);
  for (const b of s.jobEdges) put(uses, b.child, b);
  for (const e of s.edges) put(into, e.child, e);
  const [edges, sums, busy] = [new Map<string, PermPair>(), new Map<string, PermPair>(), new Set<string>()];
  // a parent's rule facts once for all its children (drivers derive them from options, a fresh object each time)
  const factsOf = new Map<MNode, NodeFacts>();
  const edgePerms = (e: NodeEdge): PermPair => {
    const [p, c] = [nodes.get(e.parent), nodes.get(e.child)];
    if (!p || !c) throw new ModelBug(`an edge ${e.parent} -${e.name}-> ${e.child} to or from no node`);
    let facts = factsOf.get(p);
    if (facts === undefined) factsOf.set(p, (facts = s.drivers[p.driver].ruleFacts?.(p) ?? {}));
    const { perm, shared } = cumulative(p.name);
    const r = childPermFor({ perm, shared, driver: p.driver, childName: e.name, role: e.role, writable: !p.readOnly, facts, childForceShare: c.forceShare });
    if (!r.ok) throw new ModelBug(`no perm rule for ${p.driver} -${e.name}->`);
    const pair = { perm: r.perm, shared: r.shared };
    edges.set(keyOf(e), pair);
    return pair;
  };
  const cumulative = (name: string): PermPair => {
    const known = sums.get(name);
    if (known !== undefined) return known;
    if (busy.has(name)) throw new ModelBug(`perms do not settle: '${name}' is on a cycle`);
    busy.add(name);
    let sum = NOTHING;
    for (const u of uses.get(name) ?? []) sum = both(sum, u);
    for (const e of into.get(name) ?? []) sum = both(sum, edgePerms(e));
    sums.set(name, sum);
    return sum;
  };
  for (const n of s.nodes) cumulative(n.name);
  // a copy each: parents are told apart by identity (check.ts)
  for (const e of s.edges) put(uses, e.child, { ...(edges.get(keyOf(e)) ?? NOTHING) });
  return new Perms(edges, uses, sums);
}

/** Appends to a node's list, made on first use. */
function put<T>(m: Map<string, T[]>, child: string, x: T): void {
  const list = m.get(child);
  if (list === undefined) m.set(child, [x]);
  else list.push(x);
}

/** What perms read of a state, flat: equal inputs (by identity: commands replace options, never change them) give equal perms. */
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
export type PermsMemo = { readonly inputs: readonly unknown[]; readonly perms: Perms };

/** A state's perms: those it carries while their inputs hold, else new ones, kept with `keep` (a state the caller owns). */
export function permsOf(s: ModelState, keep = false): Perms {
  if (s.perms !== undefined && inputsHold(s, s.perms.inputs)) return s.perms.perms;
  const perms = computePerms(s);
  if (keep) s.perms = { inputs: permInputs(s), perms };
  return perms;
}

/** sameInputs(inputs, permInputs(s)) without building the list: asked several times a command, mostly true. */
function inputsHold(s: ModelState, inputs: readonly unknown[]): boolean {
  let i = 0;
  const is = (x: unknown): boolean => inputs[i++] === x;
  for (const n of s.nodes) if (!(is(n.name) && is(n.driver) && is(n.readOnly) && is(n.forceShare) && is(n.opts) && is(n.mirror?.commit) && is(n.mirror?.stopping))) return false;
  for (const e of s.edges) if (!(is(e.parent) && is(e.name) && is(e.child) && is(e.role))) return false;
  for (const b of s.bbs) if (!(is(b.child) && is(b.perm) && is(b.shared))) return false;
  for (const e of s.jobEdges) if (!(is(e.job) && is(e.name) && is(e.child) && is(e.perm) && is(e.shared))) return false;
  for (const j of s.jobs) if (!(is(j.id) && is(j.type))) return false;
  return i === inputs.length;
}
