// blockdev-mirror: mirror a root node to a target node; sometimes `replaces` a node below, sometimes a named filter.
import fc from 'fast-check';
import type { SnapNode } from '../../snapshot.ts';
import { mostly, obj, pick, sometimes } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { chainBelow, freshName, namedNodes, parentEdgesOf, rootNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';
import { jobFields } from './job-start.ts';

export const blockdevMirror: CommandKind = {
  kind: 'blockdev-mirror',
  weight: 3,
  applicable: (s) => rootNodes(s).length > 0 && namedNodes(s).length > 1,
  generate: (s) =>
    mostly(pick(rootNodes(s)), pick(namedNodes(s)), 10)
      .chain((device: SnapNode) => {
        const others = namedNodes(s).filter((n) => n.id !== device.id);
        const free = others.filter((n) => parentEdgesOf(s, n).length === 0);
        const below = [device, ...chainBelow(s, device)].filter((n) => !n.autoNamed).map((n) => n.name);
        return maybeInvalid(
          obj({
            ...jobFields(s),
            device: fc.constant(device.name),
            target: (free.length > 0 ? mostly(pick(free), pick(others.length > 0 ? others : [device]), 5) : pick(others.length > 0 ? others : [device])).map((n) => n.name),
            sync: mostly(fc.constantFrom('full', 'top', 'none'), fc.constant('incremental'), 20),
            replaces: sometimes(pick(below), 5),
            'filter-node-name': sometimes(freshName(s), 4),
          }),
        );
      })
      .map((args) => ({ execute: 'blockdev-mirror', arguments: args })),
};
