// blockdev-add driver=throttle: needs a throttle-group object (object-add), mostly one that exists.
import { mostly, pick } from '../arb.ts';
import { childRef } from '../child-ref.ts';
import { GROUP_IDS } from '../gen-state.ts';
import { addKind } from './add-kind.ts';

export const addThrottle = addKind(
  'throttle',
  3,
  (s) => {
  const groups = s.snapshot.throttleGroups.map((g) => g.id);
  return {
    'throttle-group': mostly(pick(groups), pick(GROUP_IDS), 8),
    file: childRef(s, 'any'),
  };
  },
  (s) => s.snapshot.throttleGroups.length > 0,
);
