// block-export-add type=nbd: an anonymous BlockBackend taking R (and W when writable) on a named node.
import fc from 'fast-check';
import { maybe, obj, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { EXPORT_IDS, freshId, hasNamedNodes, namedNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';

export const exportAdd: CommandKind = {
  kind: 'block-export-add',
  weight: 4,
  // without a server every export fails the same way; the swarm enables nbd-server-start with this kind
  applicable: (s) => s.snapshot.nbdServerRunning && hasNamedNodes(s),
  generate: (s) =>
    maybeInvalid(
      obj({
        type: fc.constant('nbd'),
        id: freshId(EXPORT_IDS, s.snapshot.exports.map((e) => e.id)),
        'node-name': pick(namedNodes(s).map((n) => n.name)),
        writable: maybe(fc.boolean()),
      }),
    ).map((args) => ({ execute: 'block-export-add', arguments: args })),
};
