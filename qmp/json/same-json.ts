// Whether two values have the same JSON text (wireJson), found without writing either: what equality checks over
// whole graphs need after every step, where the texts themselves are never read.
import { isQmpDouble } from './qnum.ts';
import { wireJson } from './wire-text.ts';

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !isQmpDouble(v);
}

/** Keys wireJson writes (undefined-valued ones are left out), in order. */
export function definedKeys(o: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined) out.push(k);
  return out;
}

/** wireJson(a) === wireJson(b); like it, never recurses. Differing values that are not JSON throw as wireJson does. */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: unknown[] = [a, b];
  while (stack.length > 0) {
    const y = stack.pop();
    const x = stack.pop();
    // the same value has the same text (an infinity has none: wireJson throws on it)
    if (x === y && (typeof x !== 'number' || Number.isFinite(x))) continue;
    const cx = isContainer(x);
    if (cx !== isContainer(y)) return false;
    if (!cx) {
      if (wireJson(x) !== wireJson(y)) return false;
      continue;
    }
    const xs = Array.isArray(x);
    if (xs !== Array.isArray(y)) return false;
    if (xs) {
      const l = x as readonly unknown[];
      const r = y as readonly unknown[];
      if (l.length !== r.length) return false;
      // as JSON.stringify: undefined in a list is null
      for (let i = 0; i < l.length; i++) stack.push(l[i] ?? null, r[i] ?? null);
      continue;
    }
    const l = x as Readonly<Record<string, unknown>>;
    const r = y as Readonly<Record<string, unknown>>;
    const lk = definedKeys(l);
    const rk = definedKeys(r);
    if (lk.length !== rk.length) return false;
    for (let i = 0; i < lk.length; i++) {
      const k = lk[i]!;
      if (k !== rk[i]) return false;
      stack.push(l[k], r[k]);
    }
  }
  return true;
}
