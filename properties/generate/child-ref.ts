// Plausible children for a new node: a reference to a named node, or a nested dict that opens one implicitly.
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { SIZES, maybe, mostly, obj, pick, sometimes, weighted } from './arb.ts';
import type { GenState } from './command-kind.ts';
import type { SnapNode } from '../snapshot.ts';
import { childEdgesOf, freshName, headerDepth, imageNames, someNode, unopenedImages } from './gen-state.ts';

/** What the parent wants below it: any node, or a protocol node over a qcow2 image (qcow2's `file`). */
export type ChildWant = 'any' | 'qcow2-image';

/**
 * Nested children get a name half the time: only named nodes can be referenced by later commands. A qcow2 opens the
 * tops of the longest header chains first: their backing nodes are read-only, the bases intermediate commits need.
 */
function nestedFile(s: GenState, format?: 'qcow2'): fc.Arbitrary<JsonObject> {
  const all = imageNames(s, format);
  const fresh = unopenedImages(s, format);
  const first = (): fc.Arbitrary<string> => (format === 'qcow2' ? weighted(fresh, (f) => 1 + 2 * headerDepth(s, f)) : pick(fresh));
  const filename = all.length === 0 ? fc.constant('missing.img') : fresh.length === 0 ? pick(all) : mostly(first(), pick(all), 5);
  return obj({ driver: fc.constant('file'), 'node-name': maybe(freshName(s)), filename });
}

function nestedNull(s: GenState): fc.Arbitrary<JsonObject> {
  return obj({ driver: fc.constant('null-co'), 'node-name': maybe(freshName(s)), size: maybe(pick(SIZES)) });
}

/** Another file node has the image open (a lock conflict), or a qcow2 reads it already (a second one conflicts). */
function imageTaken(s: GenState, fileNode: number, filename: string): boolean {
  return s.snapshot.nodes.some((m) => m.filename === filename && ((m.driver === 'file' && m.id !== fileNode) || m.driver === 'qcow2'));
}

/** Drivers that pass their child's bytes on unchanged (raw without offset/size, byte filters): a stack of them
 * over a qcow2 image's file still shows the image. */
const PASS_BYTES: Readonly<Record<string, string>> = { raw: 'file', throttle: 'file', 'copy-on-read': 'file', blkdebug: 'image' };

/** Does `n` show a qcow2 image's bytes (of `qcow2Images`, asked once a call): its file node, or byte-passing nodes stacked over one? */
function showsQcow2(s: GenState, qcow2Images: readonly string[], n: SnapNode, depth = 0): boolean {
  if (n.driver === 'file') return n.filename !== null && qcow2Images.includes(n.filename) && !imageTaken(s, n.id, n.filename);
  const via = PASS_BYTES[n.driver];
  if (via === undefined || depth > 4 || 'offset' in n.options || 'size' in n.options) return false;
  const e = childEdgesOf(s, n).find((c) => c.name === via);
  const child = e ? s.snapshot.nodes.find((m) => m.id === e.childId) : undefined;
  return child !== undefined && showsQcow2(s, qcow2Images, child, depth + 1);
}

export function childRef(s: GenState, want: ChildWant): fc.Arbitrary<JsonValue> {
  const qcow2Images = imageNames(s, 'qcow2');
  const named = want === 'qcow2-image' ? someNode(s, (n) => n.driver === 'file' && showsQcow2(s, qcow2Images, n)) : someNode(s);
  // now and then a format over a stack (qcow2 on raw or on a filter): perms and replacement through more layers
  const stacked = want === 'qcow2-image' ? someNode(s, (n) => n.driver !== 'file' && showsQcow2(s, qcow2Images, n)) : undefined;
  const nested: fc.Arbitrary<JsonValue> =
    want === 'qcow2-image'
      ? nestedFile(s, qcow2Images.length > 0 ? 'qcow2' : undefined)
      : fc.oneof({ weight: 3, arbitrary: nestedFile(s) }, { weight: 1, arbitrary: nestedNull(s) });
  const choices: { weight: number; arbitrary: fc.Arbitrary<JsonValue> }[] = [];
  if (named) choices.push({ weight: 3, arbitrary: named.map((n) => n.name) });
  choices.push({ weight: 2, arbitrary: nested });
  if (stacked) choices.push({ weight: 2, arbitrary: stacked.map((n) => n.name) });
  return fc.oneof(...choices);
}

/**
 * qcow2's `backing`: absent (open what the header names), null, a named node, or a nested qcow2, mostly named:
 * a named backing over its own header's read-only backing is the top of an intermediate commit onto a read-only base.
 */
export function backingValue(s: GenState): fc.Arbitrary<JsonValue | undefined> {
  const named = someNode(s, (n) => n.driver !== 'file' && n.driver !== 'null-co');
  const nested = obj({ driver: fc.constant('qcow2'), 'node-name': mostly(freshName(s), fc.constant(undefined), 4), file: childRef(s, 'qcow2-image'), backing: sometimes(fc.constant(null), 3) });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: named ? 3 : 0, arbitrary: named ? named.map((n): JsonValue => n.name) : fc.constant(null) },
    { weight: 3, arbitrary: nested },
  );
}
