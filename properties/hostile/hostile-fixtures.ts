// Malformed fixture files, generated from a good one: a field's value replaced by something hostile (wrong type,
// huge number, deep nesting), then maybe truncated or salted with bytes that break JSON or UTF-8.
import fc from 'fast-check';
import { wireJsonIndented } from '../../qmp/json/wire-text.ts';
import { isRecord } from '../../qmp/json-value.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { deepText, mutate, mutation, scalarText, valueText } from './hostile-lines.ts';
import type { Mutation } from './hostile-lines.ts';

type Path = readonly (string | number)[];

/** Every path to a value in `v`, containers included (breadth first, so short paths come first). */
function paths(v: JsonValue): Path[] {
  const out: Path[] = [];
  const todo: { v: JsonValue; p: Path }[] = [{ v, p: [] }];
  for (let t = todo.shift(); t !== undefined; t = todo.shift()) {
    const here = t.p;
    if (here.length > 0) out.push(here);
    if (Array.isArray(t.v)) (t.v as readonly JsonValue[]).forEach((x, i) => todo.push({ v: x, p: [...here, i] }));
    else if (isRecord(t.v)) for (const [k, x] of Object.entries(t.v as Record<string, JsonValue>)) todo.push({ v: x, p: [...here, k] });
  }
  return out;
}

const MARK = '@@hostile@@';

/** `base` with the value at `path` replaced by a marker string (copies on the way down). */
function replaced(v: JsonValue, path: Path): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined) return MARK;
  if (Array.isArray(v)) return (v as readonly JsonValue[]).map((x, i) => (i === head ? replaced(x, rest) : x));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v as Record<string, JsonValue>).map(([k, x]) => [k, k === head ? replaced(x, rest) : x]));
  return v;
}

const enc = new TextEncoder();

/** Mostly whole files: a byte-level break makes most fixtures unreadable, which tests the loader but not replay. */
const fixtureMutation = fc.oneof({ weight: 4, arbitrary: fc.constant<Mutation>({ kind: 'none' }) }, { weight: 1, arbitrary: mutation });

/** Fixture files as bytes: a good fixture with one field gone wrong, and maybe its bytes too. */
export function hostileFixture(base: JsonValue): fc.Arbitrary<Uint8Array> {
  const all = paths(base);
  // arguments take any JSON: hostile values there make fixtures that load and replay
  const args = all.filter((p) => p.includes('arguments'));
  const path = args.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...args) }, { weight: 1, arbitrary: fc.constantFrom(...all) }) : fc.constantFrom(...all);
  return fc
    .tuple(path, fc.oneof(scalarText, valueText, deepText, fc.constant('"../../etc/passwd"'), fc.constant('"/tmp/canary"')), fixtureMutation)
    .map(([path, value, m]) => mutate(enc.encode(wireJsonIndented(replaced(base, path), 1).replace(JSON.stringify(MARK), value)), m));
}
