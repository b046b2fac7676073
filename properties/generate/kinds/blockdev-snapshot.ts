// blockdev-snapshot: an unused qcow2 without backing becomes the overlay of a node (any node, filters included).
import { mostly, obj, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { childEdgesOf, namedNodes, parentEdgesOf } from '../gen-state.ts';

export const blockdevSnapshot: CommandKind = {
  kind: 'blockdev-snapshot',
  weight: 2,
  applicable: (s) => namedNodes(s).some((n) => n.driver === 'qcow2'),
  generate: (s) => {
    const qcow2 = namedNodes(s).filter((n) => n.driver === 'qcow2');
    const fit = qcow2.filter((n) => parentEdgesOf(s, n).length === 0 && !childEdgesOf(s, n).some((e) => e.name === 'backing'));
    const overlay = fit.length > 0 ? mostly(pick(fit), pick(qcow2), 6) : pick(qcow2);
    return obj({ node: pick(namedNodes(s).map((n) => n.name)), overlay: overlay.map((n) => n.name) }).map((args) => ({
      execute: 'blockdev-snapshot',
      arguments: args,
    }));
  },
};
