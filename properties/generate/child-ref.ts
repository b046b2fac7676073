// Plausible children for a new node: a reference to a named node, or a nested dict that opens one implicitly.
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { SIZES, maybe, mostly, obj, pick, sometimes } from './arb.ts';
import type { GenState } from './command-kind.ts';
import { freshName, imageNames, someNode, unopenedImages } from './gen-state.ts';

/** What the parent wants below it: any node, or a protocol node over a qcow2 image (qcow2's `file`). */
export type ChildWant = 'any' | 'qcow2-image';

function nestedFile(s: GenState, format?: 'qcow2'): fc.Arbitrary<JsonObject> {
  const all = imageNames(s, format);
  const fresh = unopenedImages(s, format);
  const filename = all.length === 0 ? fc.constant('missing.img') : fresh.length === 0 ? pick(all) : mostly(pick(fresh), pick(all), 5);
  return obj({ driver: fc.constant('file'), 'node-name': sometimes(freshName(s)), filename });
}

function nestedNull(s: GenState): fc.Arbitrary<JsonObject> {
  return obj({ driver: fc.constant('null-co'), 'node-name': sometimes(freshName(s)), size: maybe(pick(SIZES)) });
}

/** Another node has the same image open: a second qcow2 on it conflicts on the file lock. */
function sharesImage(s: GenState, id: number, filename: string): boolean {
  return s.snapshot.nodes.some((m) => m.id !== id && m.filename === filename);
}

export function childRef(s: GenState, want: ChildWant): fc.Arbitrary<JsonValue> {
  const qcow2Images = imageNames(s, 'qcow2');
  const named =
    want === 'qcow2-image'
      ? someNode(s, (n) => n.driver === 'file' && n.filename !== null && qcow2Images.includes(n.filename) && !sharesImage(s, n.id, n.filename))
      : someNode(s);
  const nested: fc.Arbitrary<JsonValue> =
    want === 'qcow2-image'
      ? nestedFile(s, qcow2Images.length > 0 ? 'qcow2' : undefined)
      : fc.oneof({ weight: 3, arbitrary: nestedFile(s) }, { weight: 1, arbitrary: nestedNull(s) });
  if (!named) return nested;
  return fc.oneof({ weight: 3, arbitrary: named.map((n) => n.name) }, { weight: 2, arbitrary: nested });
}

/** qcow2's `backing`: absent (open what the header names), null, a named node, or a nested qcow2. */
export function backingValue(s: GenState): fc.Arbitrary<JsonValue | undefined> {
  const named = someNode(s, (n) => n.driver !== 'file' && n.driver !== 'null-co');
  const nested = obj({ driver: fc.constant('qcow2'), file: childRef(s, 'qcow2-image'), backing: sometimes(fc.constant(null), 3) });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: named ? 3 : 0, arbitrary: named ? named.map((n): JsonValue => n.name) : fc.constant(null) },
    { weight: 1, arbitrary: nested },
  );
}
