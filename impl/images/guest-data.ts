// What an image file holds for its guest, as far as the impl follows it: a raw file's allocated extents (file-system
// blocks) and their bytes, or a qcow2 image's clusters (data with its bytes, or zero). Absent: as qemu-img created it.
import { bytesLength, overwrite, slice, zeros, type Bytes } from './bytes.ts';

/** ext4 and tmpfs allocate 4 KiB blocks: SEEK_DATA/SEEK_HOLE (file-posix block status) sees these. */
export const FS_BLOCK = 4096;

/** A raw file's allocated range (block-aligned) and the bytes it holds. */
export interface RawExtent {
  readonly start: number;
  readonly bytes: Bytes;
}

/** A zero cluster keeps its host cluster (`hosted`, QCOW2_CLUSTER_ZERO_ALLOC) when it held data and was zeroed
 * without unmap; else it has none (ZERO_PLAIN), and data written into it takes a new one. */
export type Qcow2Cluster = { readonly kind: 'data'; readonly bytes: Bytes } | { readonly kind: 'zero'; readonly hosted?: true };

export type GuestData =
  | { readonly kind: 'raw'; readonly extents: readonly RawExtent[] }
  | { readonly kind: 'qcow2'; readonly clusters: ReadonlyMap<number, Qcow2Cluster> };

/** qemu-img create writes a raw image's first block (allocate_first_block); the rest is a hole. */
export function freshRaw(length: number): GuestData {
  return { kind: 'raw', extents: length > 0 ? [{ start: 0, bytes: zeros(Math.min(FS_BLOCK, length)) }] : [] };
}

export const FRESH_QCOW2: GuestData = { kind: 'qcow2', clusters: new Map() };

/** A raw file's bytes over [from, from + length): holes read zeros. */
export function rawBytes(extents: readonly RawExtent[], from: number, length: number): Bytes {
  let out: Bytes = zeros(length);
  for (const e of extents) {
    const len = extLen(e);
    const s = Math.max(from, e.start);
    const t = Math.min(from + length, e.start + len);
    if (t > s) out = overwrite(out, s - from, slice(e.bytes, s - e.start, t - s));
  }
  return out;
}

/** A raw file after writing `bytes` at `at`: the blocks it touches become allocated (with what they held before). */
export function rawWrite(extents: readonly RawExtent[], at: number, bytes: Bytes): RawExtent[] {
  const len = bytesLength(bytes);
  if (len === 0) return [...extents];
  const merged = allocatedRanges(extents, [Math.floor(at / FS_BLOCK) * FS_BLOCK, Math.ceil((at + len) / FS_BLOCK) * FS_BLOCK]);
  return merged.map(([s, e]) => {
    const ws = Math.max(s, at);
    const we = Math.min(e, at + len);
    const old = rawBytes(extents, s, e - s);
    return { start: s, bytes: we > ws ? overwrite(old, ws - s, slice(bytes, ws - at, we - ws)) : old };
  });
}

const extLen = (e: RawExtent): number => bytesLength(e.bytes);

/** The allocated ranges with `add` joined in, overlapping or touching ranges merged. */
function allocatedRanges(extents: readonly RawExtent[], add: readonly [number, number]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [...extents.map((e): [number, number] => [e.start, e.start + extLen(e)]), [add[0], add[1]]];
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** A raw file cut (or grown with a hole) to `length`. */
export function rawTruncate(extents: readonly RawExtent[], length: number): RawExtent[] {
  return extents.filter((e) => e.start < length).map((e) => ({ start: e.start, bytes: slice(e.bytes, 0, Math.min(extLen(e), length - e.start)) }));
}

/** fallocate(PUNCH_HOLE): whole blocks inside the range are deallocated, allocated partial ones zeroed. */
export function rawPunch(extents: readonly RawExtent[], at: number, length: number): RawExtent[] {
  const first = Math.ceil(at / FS_BLOCK) * FS_BLOCK;
  const last = Math.floor((at + length) / FS_BLOCK) * FS_BLOCK;
  let out = [...extents];
  const isAllocated = (o: number): boolean => extents.some((e) => e.start <= o && o < e.start + extLen(e));
  const zeroPart = (s: number, e: number): void => {
    if (e > s && isAllocated(s)) out = rawWrite(out, s, zeros(e - s));
  };
  if (last <= first) {
    zeroPart(at, Math.min(at + length, first));
    zeroPart(Math.max(at, last, first), at + length);
    return out;
  }
  zeroPart(at, first);
  zeroPart(last, at + length);
  return out.flatMap((e) => {
    const end = e.start + extLen(e);
    const parts: RawExtent[] = [];
    if (e.start < first) parts.push({ start: e.start, bytes: slice(e.bytes, 0, Math.min(end, first) - e.start) });
    if (end > last) {
      const s = Math.max(e.start, last);
      parts.push({ start: s, bytes: slice(e.bytes, s - e.start, end - s) });
    }
    return parts;
  });
}
