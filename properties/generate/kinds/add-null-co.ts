// blockdev-add driver=null-co: a protocol node without storage (a negative size is QEMU 7.2's abort, kept rare).
import fc from 'fast-check';
import { SIZES, maybe, mostly, pick, sometimes } from '../arb.ts';
import { addKind } from './add-kind.ts';

export const addNullCo = addKind('null-co', 3, () => ({
  size: maybe(mostly(pick(SIZES), fc.constantFrom(1000, -512), 40)),
  'read-zeroes': sometimes(fc.boolean(), 4),
}));
