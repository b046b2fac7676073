// blockdev-add driver=blkdebug: a filter that can take extra perms or unshare some (perm rules' option steps).
import fc from 'fast-check';
import { PERM_NAMES, maybe, sometimes } from '../arb.ts';
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

export const addBlkdebug = addKind('blkdebug', 3, (s) => ({
  image: childRef(s, 'any'),
  'take-child-perms': maybe(fc.subarray([...PERM_NAMES])),
  'unshare-child-perms': maybe(fc.subarray([...PERM_NAMES])),
  align: sometimes(fc.constantFrom(512, 4096), 8),
}));
