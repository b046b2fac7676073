// Narrowing `unknown` (from JSON.parse) to the QMP JsonValue vocabulary without casts.
import type { JsonObject, JsonValue } from './types.ts';

/** True for what JSON.parse can produce: null, booleans, finite numbers, strings, arrays and plain objects of those. */
export function isJsonValue(v: unknown): v is JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonValue);
  if (typeof v === 'object') return Object.values(v).every(isJsonValue);
  return false;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && isJsonValue(v);
}

/** Plain object check for validation messages, before its values are looked at. */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies typed data into a JsonValue, keeping key order and dropping undefined fields; other non-JSON data is a bug. */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isRecord(v)) {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x);
    return out;
  }
  throw new TypeError(`toJsonValue: ${typeof v} is not JSON`);
}
