// Single-removal candidates of a scenario: one command, one argument key or list item, or one image.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** A path into a JSON value: object keys and list indexes. */
export type JsonPath = readonly (string | number)[];

/** Every key of every object and every list item, outermost first. */
export function removablePaths(v: JsonValue, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(v)) {
    const items = v as readonly JsonValue[];
    return items.flatMap((x, i) => [[...at, i], ...removablePaths(x, [...at, i])]);
  }
  if (isObjectValue(v)) {
    return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...removablePaths(x, [...at, k])]);
  }
  return [];
}

/** A copy of `v` without the item at `path` (a key deleted, or a list item spliced out). */
export function removeAt(v: JsonValue, path: JsonPath): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return v;
  if (Array.isArray(v)) {
    const items = [...(v as readonly JsonValue[])];
    if (typeof head !== 'number' || head >= items.length) return v;
    if (rest.length === 0) items.splice(head, 1);
    else items[head] = removeAt(items[head] ?? null, rest);
    return items;
  }
  if (isObjectValue(v) && typeof head === 'string' && head in v) {
    const out: Record<string, JsonValue> = { ...v };
    if (rest.length === 0) delete out[head];
    else out[head] = removeAt(out[head] ?? null, rest);
    return out;
  }
  return v;
}

function withCommands(s: Scenario, commands: readonly QmpCommand[]): Scenario {
  return { ...s, commands };
}

export function* commandRemovals(s: Scenario): Generator<Scenario> {
  // from the end: later commands depend on earlier ones more often than the reverse
  for (let i = s.commands.length - 1; i >= 0; i--) yield withCommands(s, s.commands.filter((_, j) => j !== i));
}

/** Removes chunks of `size` commands, for a quick first cut before the one-by-one passes. */
export function* chunkRemovals(s: Scenario, size: number): Generator<Scenario> {
  for (let start = s.commands.length - size; start >= 0; start -= size) {
    yield withCommands(s, s.commands.filter((_, j) => j < start || j >= start + size));
  }
}

export function* argumentRemovals(s: Scenario): Generator<Scenario> {
  for (let i = 0; i < s.commands.length; i++) {
    const cmd = s.commands[i];
    if (cmd?.arguments === undefined) continue;
    for (const path of removablePaths(cmd.arguments)) {
      const args = removeAt(cmd.arguments, path);
      yield withCommands(s, s.commands.map((c, j) => (j === i ? { ...c, arguments: args } : c)));
    }
  }
}

export function* imageRemovals(s: Scenario): Generator<Scenario> {
  for (let i = s.images.length - 1; i >= 0; i--) yield { ...s, images: s.images.filter((_, j) => j !== i) };
  for (let i = 0; i < s.images.length; i++) {
    const im = s.images[i];
    if (im?.backing === undefined) continue;
    const { backing: _b, backing_fmt: _f, ...plain } = im;
    const images: ImageSpec[] = s.images.map((x, j) => (j === i ? plain : x));
    yield { ...s, images };
  }
}

/** All single removals, in the order the shrinker tries them. */
export function* singleRemovals(s: Scenario): Generator<Scenario> {
  yield* commandRemovals(s);
  yield* argumentRemovals(s);
  yield* imageRemovals(s);
}
