// blockdev-add driver=file over one of the run's images (now and then a missing one).
import fc from 'fast-check';
import { mostly, pick, sometimes, weighted } from '../arb.ts';
import type { GenState } from '../command-kind.ts';
import { headerDepth, imageNames, unopenedImages } from '../gen-state.ts';

/**
 * Mostly an image nobody has open (a second open of the same file mostly just fails on its lock), the tops of long
 * header chains first: a qcow2 over one opens read-only backing nodes, the bases intermediate commits need.
 */
function imageChoice(s: GenState): fc.Arbitrary<string> {
  const all = imageNames(s);
  const fresh = unopenedImages(s);
  if (all.length === 0) return fc.constant('missing.img');
  return fresh.length === 0 ? pick(all) : mostly(weighted(fresh, (f) => 1 + 2 * headerDepth(s, f)), pick(all), 4);
}
import { addKind } from './add-kind.ts';

export const addFile = addKind('file', 6, (s) => ({
  filename: mostly(imageChoice(s), fc.constant('missing.img'), 20),
  locking: sometimes(fc.constantFrom('off', 'on', 'auto'), 8),
}));
