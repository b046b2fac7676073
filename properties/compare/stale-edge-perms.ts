// QEMU 7.2's bdrv_replace_node moves parent edges onto the new child and refreshes perms only below the new and the
// old child (block.c bdrv_replace_node_common, impl/core/replace-node.ts): a moved edge keeps the perm and shared perms
// its parent's rules gave it for the old child (README "Known QEMU 7.2 defects": a node replaced under another parent
// keeps stale perms). Recognised from the step's two graphs alone, so it holds on any target.
import { permSetsEqual } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { expectedEdgePerms } from '../invariants/edge-perms-match-driver-rules.ts';
import { SnapshotIndex } from '../invariants/graph-views.ts';
import type { GraphSnapshot, SnapEdge } from '../snapshot.ts';

/** The graphs around one step. */
export interface GraphStep {
  readonly before: GraphSnapshot;
  readonly after: GraphSnapshot;
}

const carries = (e: { readonly perm: PermSet; readonly shared: PermSet }, x: { readonly perm: PermSet; readonly shared: PermSet }): boolean =>
  permSetsEqual(e.perm, x.perm) && permSetsEqual(e.shared, x.shared);

/**
 * The node edges this step moved onto another child that carry exactly what they carried before (what the rules gave
 * them on the old child: the graph before held the rules), when those stale edges, taken as they are, explain every
 * edge the rules disagree with (the refreshed subtree below the new child was computed from them). Empty when any
 * mismatch is something else: a wrong edge that did not move, or a moved one whose perms are neither old nor new.
 */
export function staleMovedEdges(step: GraphStep): readonly SnapEdge[] {
  const was = new Map(step.before.edges.map((e) => [e.key, e]));
  const stale = (e: SnapEdge): boolean => {
    const b = was.get(e.key);
    return e.parent.kind === 'node' && b !== undefined && b.child !== e.child && carries(e, b);
  };
  const index = new SnapshotIndex(step.after);
  const rules = expectedEdgePerms(index);
  const kept = expectedEdgePerms(index, stale);
  if (rules === undefined || kept === undefined || kept.problems.length > 0) return [];
  for (const [e, x] of kept.expected) if (!carries(e, x)) return [];
  return [...rules.expected].filter(([e, x]) => stale(e) && !carries(e, x)).map(([e]) => e);
}
