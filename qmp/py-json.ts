// Python's json.dumps (ensure_ascii, indent) in TypeScript, so our output is byte-identical to qmprun.py's.
import type { JsonValue } from './types.ts';

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

/** json.encoder.py_encode_basestring_ascii: everything outside ' '..'~' becomes \uXXXX (lowercase hex). */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += '\\u' + c.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** Python's repr; integral values print as ints since JS cannot tell a JSON `1.0` from `1` (QMP sends ints). */
export function pyJsonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const exp = n.toExponential();
  const at = exp.indexOf('e');
  const power = Number(exp.slice(at + 1));
  // float_repr_style 'r' switches to exponent form below 1e-4 and pads the exponent to two digits
  if (power < -4) return `${exp.slice(0, at)}e-${String(-power).padStart(2, '0')}`;
  return String(n);
}

/** json.dumps(value, indent=indent); with indent undefined, the compact ', ' / ': ' form. */
export function pyJsonDumps(value: JsonValue, indent?: number): string {
  return encode(value, indent, 0);
}

function encode(v: JsonValue, indent: number | undefined, level: number): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return pyJsonNumber(v);
  if (typeof v === 'string') return pyJsonString(v);
  const items: string[] = isArray(v)
    ? v.map((x) => encode(x, indent, level + 1))
    : Object.entries(v).map(([k, x]) => `${pyJsonString(k)}: ${encode(x, indent, level + 1)}`);
  const [open, close] = isArray(v) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (indent === undefined) return open + items.join(', ') + close;
  const inner = '\n' + ' '.repeat(indent * (level + 1));
  return open + inner + items.join(',' + inner) + '\n' + ' '.repeat(indent * level) + close;
}

// Array.isArray does not narrow readonly arrays out of a union, so narrow explicitly.
function isArray(v: JsonValue): v is readonly JsonValue[] {
  return Array.isArray(v);
}
