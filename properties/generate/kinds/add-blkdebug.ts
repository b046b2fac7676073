// blockdev-add driver=blkdebug: a filter that can take extra perms or unshare some (perm rules' option steps).
import fc from 'fast-check';
import { PERMS } from '../../../qmp/perm-set.ts';
import { maybe, mostly, sometimes } from '../arb.ts';
import { childRef } from '../child-ref.ts';
import { addKind } from './add-kind.ts';

// an empty list is a known 7.2 defect (left unconsumed) that ends the model comparison: rare, so runs go on
const perms = mostly(fc.subarray([...PERMS], { minLength: 1 }), fc.constant<string[]>([]), 100);

export const addBlkdebug = addKind('blkdebug', 3, (s) => ({
  image: childRef(s, 'any'),
  'take-child-perms': maybe(perms),
  'unshare-child-perms': maybe(perms),
  align: sometimes(fc.constantFrom(512, 4096), 8),
}));
