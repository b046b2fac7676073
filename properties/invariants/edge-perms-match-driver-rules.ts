// edge-perms-match-driver-rules — semantics §2.1–2.3, §5.1 I3 (block.c bdrv_child_perm): every node→child edge
// carries what model/perm-rules.ts gives from its parent's cumulative perms, recomputed top-down from scratch.
import { childPermFor } from '../../model/perm-rules.ts';
import { permSetsEqual } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import type { SnapEdge } from '../snapshot.ts';
import { cumulative, describeSnapEdge, showPerms, topologicalNodes, type SnapshotIndex } from './graph-views.ts';
import type { Invariant, Violation } from './invariant.ts';
import { ruleFacts } from './rule-facts.ts';
import { edgeTag, permDelta } from '../signature/what-is-wrong.ts';

interface Expected {
  readonly perm: PermSet;
  readonly shared: PermSet;
}

/** Root edges (BlockBackends, jobs) keep what their owner set (§2.4); node edges follow the rules, except those
 * `given` takes as they are (a known defect's stale edges, properties/compare/stale-edge-perms.ts). */
export function expectedEdgePerms(index: SnapshotIndex, given?: (e: SnapEdge) => boolean): { expected: Map<SnapEdge, Expected>; problems: Violation[] } | undefined {
  const order = topologicalNodes(index);
  if (!order) return undefined;
  const [g, byId] = [index.graph, index.byId];
  const expected = new Map<SnapEdge, Expected>();
  const problems: Violation[] = [];
  for (const e of g.edges) if (e.parent.kind !== 'node') expected.set(e, { perm: e.perm, shared: e.shared });
  for (const n of order) {
    const incoming = index.edgesInto(n.id).map((e) => expected.get(e) ?? e);
    const { perm, shared } = cumulative(incoming);
    // bs->drv == NULL (a fatal qcow2 corruption): bdrv_node_refresh_perm leaves the children's perms as they were
    if (n.driverGone) {
      for (const e of index.childEdges(n.id)) expected.set(e, { perm: e.perm, shared: e.shared });
      continue;
    }
    // the node's option facts, read once for all its children
    let facts: ReturnType<typeof ruleFacts> | undefined;
    for (const e of index.childEdges(n.id)) {
      if (given?.(e) === true) {
        expected.set(e, { perm: e.perm, shared: e.shared });
        continue;
      }
      const child = byId.get(e.childId);
      const r = childPermFor({
        driver: n.driver,
        childName: e.name,
        role: e.role,
        perm,
        shared,
        writable: !n.readOnly,
        facts: (facts ??= ruleFacts(n)),
        childForceShare: child?.forceShare ?? false,
      });
      if (!r.ok) {
        problems.push({ message: `no perm rule for ${n.driver} child '${e.name}' with role ${JSON.stringify(e.role)}`, key: `no-rule:${edgeTag(g, e)}:${e.role.kind}` });
        expected.set(e, { perm: e.perm, shared: e.shared });
      } else {
        expected.set(e, { perm: r.perm, shared: r.shared });
      }
    }
  }
  return { expected, problems };
}

export const edgePermsMatchDriverRules: Invariant = {
  kind: 'state',
  name: 'edge-perms-match-driver-rules',
  source: 'semantics §2.1–2.3, §5.1 I3; block.c bdrv_child_perm',
  check(g, index): Violation[] {
    const r = expectedEdgePerms(index);
    // a cycle has no top-down order; graph-is-acyclic reports it
    if (!r) return [];
    const wrong: Violation[] = [];
    for (const [e, x] of r.expected) {
      if (e.parent.kind !== 'node' || (permSetsEqual(e.perm, x.perm) && permSetsEqual(e.shared, x.shared))) continue;
      const perm = permDelta(e.perm, x.perm);
      const shared = permDelta(e.shared, x.shared);
      const key = `${edgeTag(g, e)}(${e.role.kind}):${perm ? `perm${perm}` : ''}${perm && shared ? ',' : ''}${shared ? `shared${shared}` : ''}`;
      wrong.push({ message: `${describeSnapEdge(e)} but the rules give [${showPerms(x.perm)}/${showPerms(x.shared)}]`, key });
    }
    return [...r.problems, ...wrong];
  },
};
