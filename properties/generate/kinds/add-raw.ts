// blockdev-add driver=raw: a filter-like format node, or a DATA window with offset/size.
import fc from 'fast-check';
import { sometimes } from '../arb.ts';
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

export const addRaw = addKind('raw', 4, (s) => ({
  file: childRef(s, 'any'),
  offset: sometimes(fc.constantFrom(0, 512, 65536, 1048576), 4),
  size: sometimes(fc.constantFrom(512, 65536, 1048576, 1000), 4),
}));
