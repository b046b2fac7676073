// Narrowing `unknown` (from JSON.parse or QEMU's parser) to the QMP JsonValue vocabulary without casts, at any depth.
import { isQmpDouble } from './json/qnum.ts';
import type { JsonObject, JsonValue } from './types.ts';

/** True for null, booleans, finite numbers, bigints, QmpDoubles, strings, and arrays and plain objects of those. */
export function isJsonValue(v: unknown): v is JsonValue {
  const todo: unknown[] = [v];
  while (todo.length > 0) {
    const x = todo.pop();
    if (x === null || typeof x === 'boolean' || typeof x === 'string' || typeof x === 'bigint' || isQmpDouble(x)) continue;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return false;
      continue;
    }
    if (typeof x !== 'object') return false;
    // one push at a time: spreading a huge list would overflow the call stack
    for (const y of Array.isArray(x) ? (x as readonly unknown[]) : Object.values(x)) todo.push(y);
  }
  return true;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return isRecord(v) && isJsonValue(v);
}

/** Plain object check for validation messages, before its values are looked at (a QmpDouble is a number, not one). */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isQmpDouble(v);
}

/** A JSON value that is an object; a QmpDouble is a number, though as an object it would read as `{}`. */
export function isObjectValue(v: JsonValue | undefined): v is JsonObject {
  return isRecord(v);
}

/** Copies typed data into a JsonValue, keeping key order and dropping undefined fields; other non-JSON data is a bug. */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || isQmpDouble(v)) return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isRecord(v)) {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x);
    return out;
  }
  throw new TypeError(`toJsonValue: ${typeof v} is not JSON`);
}

/** How deep containers nest in `v` (a scalar is 0, `[]` is 1), found without recursion; stops counting past `limit`. */
export function jsonDepth(v: unknown, limit = Infinity): { readonly depth: number; readonly path: string } {
  const todo: { v: unknown; d: number; path: string }[] = [{ v, d: 0, path: '' }];
  let deepest = { depth: 0, path: '' };
  for (let t = todo.pop(); t !== undefined; t = todo.pop()) {
    if (typeof t.v !== 'object' || t.v === null || isQmpDouble(t.v)) continue;
    const d = t.d + 1;
    if (d > deepest.depth) deepest = { depth: d, path: t.path };
    if (d > limit) return deepest;
    const at = t.path;
    if (Array.isArray(t.v)) (t.v as readonly unknown[]).forEach((x, i) => todo.push({ v: x, d, path: `${at}[${i}]` }));
    else for (const [k, x] of Object.entries(t.v)) todo.push({ v: x, d, path: at === '' ? k : `${at}.${k}` });
  }
  return deepest;
}
