// object-add qom-type=throttle-group, the only QOM type the block layer here needs.
import fc from 'fast-check';
import { obj, sometimes } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { GROUP_IDS, freshId } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';

export const objectAdd: CommandKind = {
  kind: 'object-add',
  weight: 1,
  applicable: () => true,
  generate: (s) =>
    maybeInvalid(
      obj({ 'qom-type': fc.constant('throttle-group'), id: freshId(GROUP_IDS, s.snapshot.throttleGroups.map((g) => g.id)), limits: sometimes(fc.constant({ 'iops-total': 1000 }), 3) }),
    ).map((args) => ({ execute: 'object-add', arguments: args })),
};
