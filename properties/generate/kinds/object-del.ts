// object-del of a throttle group, refused while a throttle node uses it.
import { mostly, obj, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { GROUP_IDS } from '../gen-state.ts';

export const objectDel: CommandKind = {
  kind: 'object-del',
  weight: 1,
  applicable: (s) => s.snapshot.throttleGroups.length > 0,
  generate: (s) =>
    obj({ id: mostly(pick(s.snapshot.throttleGroups.map((g) => g.id)), pick(GROUP_IDS), 6) }).map((args) => ({
      execute: 'object-del',
      arguments: args,
    })),
};
