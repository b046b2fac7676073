// block-commit: active (top = device) or intermediate (top-node below it) commit into a node further down.
import fc from 'fast-check';
import type { SnapNode } from '../../snapshot.ts';
import { mostly, obj, pick, sometimes } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { chainBelow, freshName, namedNodes, rootNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';
import { jobFields } from './job-start.ts';

export const blockCommit: CommandKind = {
  kind: 'block-commit',
  weight: 3,
  applicable: (s) => rootNodes(s).some((n) => chainBelow(s, n).length > 0),
  generate: (s) => {
    const devices = rootNodes(s).filter((n) => chainBelow(s, n).length > 0);
    return mostly(pick(devices), pick(namedNodes(s)), 10).chain((device: SnapNode) => {
      const below = chainBelow(s, device).filter((n) => !n.autoNamed).map((n) => n.name);
      return maybeInvalid(
        obj({
          ...jobFields(s),
          device: fc.constant(device.name),
          'top-node': below.length > 0 ? sometimes(pick(below), 3) : fc.constant(undefined),
          'base-node': below.length > 0 ? sometimes(pick(below), 2) : fc.constant(undefined),
          'filter-node-name': sometimes(freshName(s), 4),
        }),
      );
    }).map((args) => ({ execute: 'block-commit', arguments: args }));
  },
};
