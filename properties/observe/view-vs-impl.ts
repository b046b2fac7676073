// Compares the view built from QMP replies with the impl's own snapshot on the fields the observed invariants read.
import type { GraphSnapshot } from '../snapshot.ts';

/** Differences, one line each, on what the observed invariants judge (names, drivers, flags, roles, perms, jobs). */
export function viewDifferences(impl: GraphSnapshot, seen: GraphSnapshot): string[] {
  const out: string[] = [];
  const nodeForm = (g: GraphSnapshot) => new Map(g.nodes.map((n) => [n.name, JSON.stringify([n.driver, n.readOnly, n.forceShare, n.isFilter, n.supportsBacking, n.driverGone])]));
  const edgeForm = (g: GraphSnapshot) =>
    new Map(g.edges.filter((e) => e.parent.kind !== 'backend').map((e) => [`${e.parent.kind}:${e.parent.name}/${e.name}->${e.child}`, JSON.stringify([e.role, e.perm, e.shared])]));
  const backends = (g: GraphSnapshot) => g.edges.filter((e) => e.parent.kind === 'backend').map((e) => `${e.child}:${JSON.stringify([e.perm, e.shared])}`).sort().join(' ');
  const cmp = (what: string, a: Map<string, string>, b: Map<string, string>): void => {
    for (const [k, v] of a) if (b.get(k) !== v) out.push(`${what} ${k}: impl ${v}, view ${b.get(k) ?? 'missing'}`);
    for (const k of b.keys()) if (!a.has(k)) out.push(`${what} ${k}: only in the view`);
  };
  cmp('node', nodeForm(impl), nodeForm(seen));
  cmp('edge', edgeForm(impl), edgeForm(seen));
  if (backends(impl) !== backends(seen)) out.push(`backends: impl ${backends(impl)}, view ${backends(seen)}`);
  const simple = (g: GraphSnapshot) => JSON.stringify([g.jobs.map((j) => [j.id, j.type, j.status]).sort(), g.exports.map((x) => [x.id, x.node, x.writable]).sort(), g.throttleGroups.map((t) => [t.id, t.users]).sort(), g.nbdServerRunning]);
  if (simple(impl) !== simple(seen)) out.push(`jobs/exports/groups: impl ${simple(impl)}, view ${simple(seen)}`);
  return out;
}
