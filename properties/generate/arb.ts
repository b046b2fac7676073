// Small arbitrary builders shared by the command kinds: JSON objects with optional keys, rare events, pools.
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';

type Fields = { readonly [k: string]: fc.Arbitrary<JsonValue | undefined> };

/** A JSON object in the fields' key order, without the keys whose value came out undefined. */
export function obj(fields: Fields): fc.Arbitrary<JsonObject> {
  return fc.record(fields).map((r) => {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });
}

/** Present about half the time. */
export function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** Present about one time in `n`. */
export function sometimes<T>(arb: fc.Arbitrary<T>, n = 6): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** Picks from a list that must not be empty (callers check `applicable` first). */
export function pick<T>(xs: readonly T[]): fc.Arbitrary<T> {
  const [first, ...rest] = xs;
  if (first === undefined) throw new Error('pick: empty list');
  return fc.constantFrom(first, ...rest);
}

/** A valid value mostly, the odd one sometimes (1 in n). */
export function mostly<T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>, n = 12): fc.Arbitrary<T> {
  return fc.oneof({ weight: n - 1, arbitrary: usual }, { weight: 1, arbitrary: odd });
}

/** One of `xs`, each as likely as its weight; items of weight 0 only when every item has weight 0. */
export function weighted<T>(xs: readonly T[], weight: (x: T) => number): fc.Arbitrary<T> {
  const heavy = xs.filter((x) => weight(x) > 0);
  if (heavy.length === 0) return pick(xs);
  return fc.oneof(...heavy.map((x) => ({ weight: weight(x), arbitrary: fc.constant(x) })));
}

/** Byte sizes that line up with the images' (all sector multiples). */
export const SIZES = [512, 65536, 1048576, 2097152] as const;
