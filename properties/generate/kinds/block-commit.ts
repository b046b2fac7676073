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
      // top before base in chain order, mostly: a base above its top is refused before anything interesting happens
      return fc.integer({ min: -1, max: below.length - 1 }).chain((t) => {
        const under = below.slice(t + 1);
        const base = under.length > 0 ? mostly(pick(under), pick(below), 6) : pick(below.length > 0 ? below : [device.name]);
        return maybeInvalid(
          obj({
            ...jobFields(s),
            device: fc.constant(device.name),
            'top-node': fc.constant(t < 0 ? undefined : below[t]),
            'base-node': sometimes(base, under.length > 0 ? 2 : 4),
            'filter-node-name': sometimes(freshName(s), 4),
          }),
        );
      });
    }).map((args) => ({ execute: 'block-commit', arguments: args }));
  },
};
