// block_resize of a named node: same, bigger, smaller, unaligned, now and then negative or by `device`.
import fc from 'fast-check';
import type { JsonObject } from '../../../qmp/types.ts';
import { mostly, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { hasNamedNodes, namedNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';

export const blockResize: CommandKind = {
  kind: 'block_resize',
  weight: 3,
  applicable: hasNamedNodes,
  generate: (s) =>
    maybeInvalid(
      fc
        .tuple(
          pick(namedNodes(s)),
          mostly(fc.constantFrom(1, 2, 0.5), fc.constantFrom(-1, 0.25), 8),
          mostly(fc.constant(0), fc.constantFrom(100, 512), 6),
          mostly(fc.constant('node-name'), fc.constant('device'), 15),
        )
        .map(([n, factor, extra, key]): JsonObject => ({ [key]: n.name, size: Math.round((n.size * factor) / 512) * 512 + extra })),
    ).map((args) => ({ execute: 'block_resize', arguments: args })),
};
