// QEMU's QDict iteration order: buckets by tdb_hash(key) % 512, newest entry first within a bucket.
import type { JsonValue } from './types.ts';
// Error messages that name "the first" offending option depend on it.

const QDICT_BUCKET_MAX = 512;

/** tdb_hash from qobject/qdict.c, in unsigned 32-bit arithmetic. */
export function tdbHash(name: string): number {
  // option names are ASCII: their UTF-8 bytes are their char codes, no encoder needed
  const bytes = /^[\x00-\x7f]*$/.test(name) ? undefined : new TextEncoder().encode(name);
  const length = bytes ? bytes.length : name.length;
  let value = Math.imul(0x238f13af, length) >>> 0;
  for (let i = 0; i < length; i++) {
    const byte = bytes ? bytes[i]! : name.charCodeAt(i);
    value = (value + ((byte << ((i * 5) % 24)) >>> 0)) >>> 0;
  }
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

/** Keys in the order qdict_first/qdict_next visit them, given their insertion order. */
export function qdictOrder(keys: readonly string[]): string[] {
  const indexed = keys.map((k, i) => ({ k, i, b: tdbHash(k) % QDICT_BUCKET_MAX }));
  indexed.sort((x, y) => x.b - y.b || y.i - x.i);
  return indexed.map((x) => x.k);
}

/** A JSON value with every object's keys in QDict order: what a value QEMU built and printed reads back as. */
export function inQdictOrder(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(inQdictOrder);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as { readonly [k: string]: JsonValue };
  const out: { [k: string]: JsonValue } = {};
  for (const k of qdictOrder(Object.keys(o))) out[k] = inQdictOrder(o[k]!);
  return out;
}
