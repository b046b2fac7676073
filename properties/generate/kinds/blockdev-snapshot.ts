// blockdev-snapshot: an unused qcow2 without backing becomes the overlay of a node (any node, filters included).
import fc from 'fast-check';
import type { SnapNode } from '../../snapshot.ts';
import { mostly, pick, weighted } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import { childEdgesOf, namedNodes, parentEdgesOf, subgraphBelow } from '../gen-state.ts';

/**
 * Any named node, those sharing nodes with the overlay's subgraph more often: bdrv_append moves the node's
 * parents to the overlay and must keep those the overlay reaches, which only happens when the two overlap.
 */
function nodeArb(s: GenState, overlay: SnapNode): fc.Arbitrary<SnapNode> {
  const under = new Set(subgraphBelow(s, overlay).map((n) => n.id));
  const overlaps = (n: SnapNode): boolean => under.has(n.id) || subgraphBelow(s, n).some((m) => under.has(m.id));
  return weighted(namedNodes(s), (n) => (overlaps(n) ? 3 : 1));
}

export const blockdevSnapshot: CommandKind = {
  kind: 'blockdev-snapshot',
  // the one user command that appends a node (bdrv_append moves parents): as often as the job starters
  weight: 3,
  applicable: (s) => namedNodes(s).some((n) => n.driver === 'qcow2'),
  generate: (s) => {
    const qcow2 = namedNodes(s).filter((n) => n.driver === 'qcow2');
    const fit = qcow2.filter((n) => parentEdgesOf(s, n).length === 0 && !childEdgesOf(s, n).some((e) => e.name === 'backing'));
    const overlay = fit.length > 0 ? mostly(pick(fit), pick(qcow2), 6) : pick(qcow2);
    return overlay
      .chain((o) => nodeArb(s, o).map((n) => ({ node: n.name, overlay: o.name })))
      .map((args) => ({ execute: 'blockdev-snapshot', arguments: args }));
  },
};
