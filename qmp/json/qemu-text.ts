// What QEMU prints (qobject/qjson.c): QDict key order, ", " and ": ", every non-ASCII character as \uXXXX.
import { qdictOrder } from '../qdict-order.ts';
import { doubleValue, formatG17, isQmpDouble } from './qnum.ts';
import { serialize } from './serialize.ts';
import type { TextStyle } from './serialize.ts';

const SHORT: Readonly<Record<number, string>> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** quoted_str: by code point; a lone surrogate (not valid UTF-8 in C) prints as U+FFFD. */
export function qemuString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const short = SHORT[u];
    if (short !== undefined) out += short;
    else if (u >= 0x20 && u < 0x7f) out += s[i];
    else if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += `\\u${hex4(u)}\\u${hex4(s.charCodeAt(++i))}`;
    } else out += `\\u${hex4(u >= 0xd800 && u <= 0xdfff ? 0xfffd : u)}`;
  }
  return out + '"';
}

/** An integer prints its digits; a double (QmpDouble, or a JS number that cannot be an int64/uint64) as %.17g. */
export function qemuNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 64) return BigInt(v).toString();
  return formatG17(v);
}

const QEMU_STYLE: TextStyle = {
  scalar: (v) => {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return qemuString(v);
    if (typeof v === 'number' || typeof v === 'bigint') return qemuNumber(v);
    return isQmpDouble(v) ? formatG17(doubleValue(v)) : undefined;
  },
  keys: qdictOrder,
  item: ', ',
  colon: ': ',
};

/** One QMP message as QEMU writes it (without the line ending). */
export function qemuJson(v: unknown): string {
  return serialize(v, QEMU_STYLE);
}
