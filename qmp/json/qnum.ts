// QEMU's QNum: int64, uint64 or double. A JS number is an int64 that is exact in JS, a bigint any other integer,
// and a QmpDouble a number QEMU parsed as a double (1.0, 1e2, 1.5): QAPI integer members refuse those.

const DOUBLE: unique symbol = Symbol('qmp-double');

/** A double on the wire; a symbol key only, so it reads as an empty object to code that does not know it. */
export interface QmpDouble {
  readonly [DOUBLE]: number;
}

export function qmpDouble(value: number): QmpDouble {
  return Object.freeze({ [DOUBLE]: value });
}

export function isQmpDouble(v: unknown): v is QmpDouble {
  return typeof v === 'object' && v !== null && DOUBLE in v;
}

export function doubleValue(d: QmpDouble): number {
  return d[DOUBLE];
}

/** The numeric value of a number-like JSON value (lossy above 2^53), or undefined for anything else. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return isQmpDouble(v) ? doubleValue(v) : undefined;
}

/** An integer as QEMU keeps it (int64 or uint64), exactly, or undefined for doubles and non-numbers. */
export function integerOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
}

/** C's printf("%.17g", x) exactly (round half to even on the exact binary value), as qnum_to_string prints doubles. */
export function formatG17(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp10 } = roundedDigits(Math.abs(x), 17);
  // %g: fixed notation when -4 <= X < precision, then trailing zeros go
  if (exp10 >= -4 && exp10 < 17) {
    const point = exp10 + 1;
    const whole = point > 0 ? digits.slice(0, point) : '0';
    const frac = point > 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
    const f = frac.replace(/0+$/, '');
    return sign + whole + (f === '' ? '' : `.${f}`);
  }
  const f = digits.slice(1).replace(/0+$/, '');
  const e = Math.abs(exp10).toString().padStart(2, '0');
  return `${sign}${digits[0] ?? '0'}${f === '' ? '' : `.${f}`}e${exp10 < 0 ? '-' : '+'}${e}`;
}

/** The first `precision` significant decimal digits of a positive finite double, rounded half-even, and its exponent. */
function roundedDigits(x: number, precision: number): { readonly digits: string; readonly exp10: number } {
  const { mantissa, exp2 } = decompose(x);
  // x = num / den exactly
  const num = exp2 >= 0 ? mantissa << BigInt(exp2) : mantissa;
  const den = exp2 >= 0 ? 1n : 1n << BigInt(-exp2);
  let exp10 = num.toString().length - den.toString().length;
  if (scaled(num, den, exp10) < 1n) exp10--;
  if (scaled(num, den, exp10) >= 10n) exp10++;
  // q = x * 10^(precision-1-exp10), split into integer part and remainder
  const shift = precision - 1 - exp10;
  const [n, d] = shift >= 0 ? [num * 10n ** BigInt(shift), den] : [num, den * 10n ** BigInt(-shift)];
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q++;
  let digits = q.toString();
  if (digits.length > precision) {
    digits = digits.slice(0, precision);
    exp10++;
  }
  return { digits, exp10 };
}

/** floor(num / den / 10^e), used to find the decimal exponent. */
function scaled(num: bigint, den: bigint, e: number): bigint {
  return e >= 0 ? num / (den * 10n ** BigInt(e)) : (num * 10n ** BigInt(-e)) / den;
}

function decompose(x: number): { readonly mantissa: bigint; readonly exp2: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: frac, exp2: -1074 } : { mantissa: frac | (1n << 52n), exp2: biased - 1075 };
}
