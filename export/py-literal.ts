// Python source literals for data taken from fixtures: every string is escaped, so no fixture text becomes code.
import { doubleValue, isQmpDouble } from '../qmp/json/qnum.ts';
import type { JsonValue } from '../qmp/types.ts';

/** A single-quoted Python str; anything but printable ASCII is an escape. */
export function pyStr(s: string): string {
  let out = "'";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + "'";
}

function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return x < 0 ? "float('-inf')" : "float('inf')";
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
}

/** JSON data as a Python expression (dicts keep their key order). */
export function pyLiteral(v: JsonValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : JSON.stringify(v);
  // an int64/uint64 past 2^53, and a number QEMU reads as a double (qmp/json/qnum.ts)
  if (typeof v === 'bigint') return v.toString();
  if (isQmpDouble(v)) return pyFloat(doubleValue(v));
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${(v as readonly JsonValue[]).map(pyLiteral).join(', ')}]`;
  const entries = Object.entries(v as { readonly [k: string]: JsonValue });
  return `{${entries.map(([k, x]) => `${pyStr(k)}: ${pyLiteral(x)}`).join(', ')}}`;
}
