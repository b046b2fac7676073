// blockdev-add driver=quorum: 1–3 DATA children, a vote threshold mostly within their count.
import fc from 'fast-check';
import { mostly, sometimes } from '../arb.ts';
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

export const addQuorum = addKind('quorum', 2, (s) => ({
  children: fc.array(childRef(s, 'any'), { minLength: 1, maxLength: 3 }),
  // 1 or 2 fits any child count but one; 0 and 4 never do
  'vote-threshold': mostly(fc.constantFrom(1, 1, 2), fc.constantFrom(0, 4), 10),
  'rewrite-corrupted': sometimes(fc.boolean(), 3),
  'read-pattern': sometimes(fc.constantFrom('quorum', 'fifo'), 4),
  blkverify: sometimes(fc.boolean(), 8),
}));
