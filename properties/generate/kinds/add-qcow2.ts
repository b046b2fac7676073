// blockdev-add driver=qcow2 with a file child and a backing that is absent (header), null, named or nested.
import { backingValue, childRef } from '../child-ref.ts';
import { imageNames } from '../gen-state.ts';
import { addKind } from './add-kind.ts';

export const addQcow2 = addKind(
  'qcow2',
  5,
  (s) => ({ file: childRef(s, 'qcow2-image'), backing: backingValue(s) }),
  (s) => imageNames(s, 'qcow2').length > 0,
);
