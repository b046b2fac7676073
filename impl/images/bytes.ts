// Guest bytes as runs of one byte value: what images hold (data layouts of pattern bytes) and what reads return.
// The impl models content at this grain: a pattern byte per range, never arbitrary bytes.

/** `byte` -1: bytes the impl does not model (a qcow2 file's metadata read as raw, an uninitialised read). */
export interface Run {
  readonly length: number;
  readonly byte: number;
}

export type Bytes = readonly Run[];

export const UNKNOWN_BYTE = -1;

export function fill(length: number, byte: number): Bytes {
  return length > 0 ? [{ length, byte }] : [];
}

export const zeros = (length: number): Bytes => fill(length, 0);

export function bytesLength(b: Bytes): number {
  return b.reduce((n, r) => n + r.length, 0);
}

/** Runs one after the other, neighbours with the same byte merged. */
export function concat(...parts: readonly Bytes[]): Bytes {
  const out: Run[] = [];
  for (const r of parts.flat()) {
    if (r.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.byte === r.byte) out[out.length - 1] = { length: last.length + r.length, byte: r.byte };
    else out.push(r);
  }
  return out;
}

/** [from, from + length) of `b`; what lies past its end reads as zeros. */
export function slice(b: Bytes, from: number, length: number): Bytes {
  const out: Run[] = [];
  let at = 0;
  for (const r of b) {
    const s = Math.max(at, from);
    const e = Math.min(at + r.length, from + length);
    if (e > s) out.push({ length: e - s, byte: r.byte });
    at += r.length;
    if (at >= from + length) break;
  }
  const got = bytesLength(out);
  return got < length ? concat(out, zeros(length - got)) : concat(out);
}

/** `b` with `src` written at `at` (b grows with zeros if `src` ends past it). */
export function overwrite(b: Bytes, at: number, src: Bytes): Bytes {
  const len = Math.max(bytesLength(b), at + bytesLength(src));
  return concat(slice(b, 0, at), src, slice(b, at + bytesLength(src), len - at - bytesLength(src)));
}

export const isAllZero = (b: Bytes): boolean => b.every((r) => r.byte === 0);
export const isModelled = (b: Bytes): boolean => b.every((r) => r.byte !== UNKNOWN_BYTE);

export function sameBytes(a: Bytes, b: Bytes): boolean {
  const x = concat(a);
  const y = concat(b);
  return x.length === y.length && x.every((r, i) => r.length === y[i]?.length && r.byte === y[i]?.byte);
}

/** Bytes given one by one, as runs. */
export function fromArray(a: Uint8Array): Bytes {
  const out: Run[] = [];
  for (const b of a) {
    const last = out[out.length - 1];
    if (last && last.byte === b) out[out.length - 1] = { length: last.length + 1, byte: b };
    else out.push({ length: 1, byte: b });
  }
  return out;
}
