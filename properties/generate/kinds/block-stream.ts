// block-stream: copy the chain below `device` into it, down to base-node (or everything); a copy-on-read filter meanwhile.
import fc from 'fast-check';
import type { SnapNode } from '../../snapshot.ts';
import { mostly, obj, pick, sometimes } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { chainBelow, freshName, namedNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';
import { jobFields } from './job-start.ts';

export const blockStream: CommandKind = {
  kind: 'block-stream',
  weight: 3,
  applicable: (s) => namedNodes(s).some((n) => chainBelow(s, n).length > 0),
  generate: (s) => {
    const withChain = namedNodes(s).filter((n) => chainBelow(s, n).length > 0);
    return mostly(pick(withChain), pick(namedNodes(s)), 10).chain((device: SnapNode) => {
      const below = chainBelow(s, device).filter((n) => !n.autoNamed).map((n) => n.name);
      return maybeInvalid(
        obj({
          ...jobFields(s),
          device: fc.constant(device.name),
          'base-node': below.length > 0 ? sometimes(pick(below), 2) : fc.constant(undefined),
          'filter-node-name': sometimes(freshName(s), 4),
        }),
      );
    }).map((args) => ({ execute: 'block-stream', arguments: args }));
  },
};
