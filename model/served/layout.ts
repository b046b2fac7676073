// What a scenario's images hold once their writes are made (qmp/image-spec.ts), stated at an offset: a qcow2
// allocates whole clusters (copy-on-write fills a new one with what it served there before), a raw file host blocks.
import { isZeroWrite, type ImageSpec, type ImageWrite } from '../../qmp/image-spec.ts';
import type { ModelState } from '../state.ts';

/** A value from an offset on, and for how many bytes it holds (like block status's pnum). */
export type Run<T> = { readonly v: T; readonly n: number };
/** `below`: the backing image it was written over (undefined: none; null: one not made before it, not followed);
 * `made`: its size when its writes were made (`size` follows a raw file's cuts). */
export type Layout = { readonly raw: boolean; readonly size: number; readonly made: number; readonly cluster: number; readonly writes: readonly ImageWrite[]; readonly below: string | null | undefined };
/** Written data (`byte`, null where not followed), a qcow2 zero cluster, zeros in a raw file's host block around
 * written data (allocated or a hole, as the host file system rounds), or nothing (a hole, an unallocated cluster). */
export type Held = { readonly kind: 'data' | 'zero' | 'block' | 'none'; readonly byte: number | null };

/** The host file system's block; `qemu-img create` writes a raw image's first one (allocate_first_block). */
const HOST_BLOCK = 4096;
const sectors = (n: number): number => Math.ceil(n / 512) * 512;

export function layoutsOf(images: readonly ImageSpec[]): Record<string, Layout> {
  const made = (i: number, f: string | undefined): string | null | undefined => (f === undefined ? undefined : images.slice(0, i).some((x) => x.filename === f) ? f : null);
  return Object.fromEntries(images.map((i, k) => [i.filename, { raw: i.format === 'raw', size: sectors(i.size), made: sectors(i.size), cluster: i.format === 'raw' ? HOST_BLOCK : (i.cluster_size ?? 65536), writes: i.writes ?? [], below: made(k, i.backing) }]));
}

/** What the image holds at `off`, for up to `max` bytes (past its size, as a block_resize grew it: the rest of its
 * last cluster, a raw file's host block the file system may have allocated whole, then nothing). */
export function heldAt(s: ModelState, l: Layout, off: number, max: number): Run<Held> {
  const end = Math.ceil(l.size / l.cluster) * l.cluster;
  if (off >= end) return { v: { kind: 'none', byte: 0 }, n: max };
  if (l.raw && off >= l.size) return { v: { kind: 'block', byte: 0 }, n: Math.min(max, end - off) };
  let v: Held = { kind: l.raw && off < HOST_BLOCK ? 'block' : 'none', byte: 0 };
  const cuts = [off + max, ...(l.raw ? [l.size, HOST_BLOCK] : [])];
  for (const w of l.writes) {
    const [a, b, end] = [Math.floor(w.offset / l.cluster) * l.cluster, Math.ceil((w.offset + w.length) / l.cluster) * l.cluster, w.offset + w.length];
    cuts.push(w.offset, end, a, b);
    if (off < a || off >= b) continue;
    const inside = off >= w.offset && off < end;
    if (inside) v = isZeroWrite(w) ? { kind: l.raw ? 'block' : 'zero', byte: 0 } : { kind: 'data', byte: w.pattern };
    else if (l.raw || isZeroWrite(w)) v = l.raw && v.kind === 'none' ? { kind: 'block', byte: 0 } : v;
    else if (v.kind !== 'data') {
      const before = v.kind === 'zero' ? { v: 0, n: max } : createdAt(s, l.below, off, max);
      cuts.push(off + before.n);
      v = { kind: 'data', byte: before.v };
    }
  }
  // a qcow2's last cluster goes on past its size (allocated whole), its unallocated run too (a grown image's new clusters)
  if (!l.raw && v.kind !== 'none') cuts.push(end);
  return { v, n: Math.min(...cuts.filter((c) => c > off)) - off };
}

/** The guest bytes of an image as its writes left them (a qcow2's unallocated ranges: its backing's, zeros past it). */
function createdAt(s: ModelState, name: string | null | undefined, off: number, max: number): Run<number | null> {
  // as the backing was when the writes copied from it, whatever cut it since
  const now = name === undefined || name === null ? undefined : s.images[name]?.layout;
  const l = now === undefined ? undefined : { ...now, size: now.made };
  if (l === undefined || off >= l.size) return { v: name === undefined || (l !== undefined && off >= l.size) ? 0 : null, n: max };
  const h = heldAt(s, l, off, Math.min(max, l.size - off));
  return h.v.kind === 'none' && !l.raw ? createdAt(s, l.below, off, h.n) : { v: h.v.byte, n: h.n };
}
