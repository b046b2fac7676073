// Our own JSON text (commands sent to QEMU, fixture files): JSON.stringify's form, plus exact big integers and doubles.
import { doubleValue, isQmpDouble } from './qnum.ts';
import { serialize } from './serialize.ts';
import type { TextStyle } from './serialize.ts';

/** A double keeps a fraction or exponent so QEMU reads it as a double again; infinities as numbers strtod reads so. */
function doubleText(x: number): string {
  if (!Number.isFinite(x)) return x < 0 ? '-1e999' : '1e999';
  const s = String(x);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function style(indent: number | undefined): TextStyle {
  return {
    scalar: (v) => {
      // as JSON.stringify: undefined in a list is null (in an object, the key is left out)
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
      if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : undefined;
      if (typeof v === 'bigint') return v.toString();
      return isQmpDouble(v) ? doubleText(doubleValue(v)) : undefined;
    },
    keys: (k) => k,
    ...(indent === undefined ? {} : { indent }),
    item: ',',
    colon: ':',
  };
}

const COMPACT = style(undefined);

/** JSON.stringify(v) for JSON values that may hold bigints and doubles; never recurses. `undefined` alone is 'undefined'. */
export function wireJson(v: unknown): string {
  return v === undefined ? 'undefined' : serialize(v, COMPACT);
}

/** JSON.stringify(v, null, indent), same extensions. */
export function wireJsonIndented(v: unknown, indent: number): string {
  return serialize(v, style(indent));
}
