// What a scenario's images hold once their writes are made (qmp/image-spec.ts), stated per range: a qcow2 allocates
// whole clusters (copy-on-write fills a new one from what it served before), a raw file whole host blocks.
import { isZeroWrite } from '../../qmp/image-spec.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { paint, span, windowOf, within } from './spans.ts';
import type { Span } from './spans.ts';

/** Written data (`byte`, null where not followed), a qcow2 zero cluster, a raw file's host block that holds zeros
 * around written data (allocated or not, as the host file system rounds), or nothing (a hole, an unallocated cluster). */
export type Held = { readonly kind: 'data' | 'zero' | 'block' | 'none'; readonly byte: number | null };
/** Guest offsets of a qcow2, file offsets of a raw image. */
export type Layout = readonly Span<Held>[];

/** The host file system's block; `qemu-img create` writes a raw image's first one (allocate_first_block). */
const HOST_BLOCK = 4096;
const DEFAULT_CLUSTER = 65536;
const NONE: Held = { kind: 'none', byte: 0 };
const sectors = (n: number): number => Math.ceil(n / 512) * 512;

function rawLayout(i: ImageSpec): Layout {
  const size = sectors(i.size);
  const block = (old: Held): Held => (old.kind === 'none' ? { kind: 'block', byte: 0 } : old);
  let xs = paint([span(0, size, NONE)], 0, HOST_BLOCK, block);
  for (const w of i.writes ?? []) {
    xs = paint(xs, Math.floor(w.offset / HOST_BLOCK) * HOST_BLOCK, Math.ceil((w.offset + w.length) / HOST_BLOCK) * HOST_BLOCK, block);
    xs = paint(xs, w.offset, w.offset + w.length, () => (isZeroWrite(w) ? { kind: 'block', byte: 0 } : { kind: 'data', byte: w.pattern }));
  }
  return xs;
}

/** The guest bytes of a laid-out image (a qcow2's unallocated ranges from its backing image as created, if made). */
function bytesOf(name: string | undefined, specs: readonly ImageSpec[], made: Readonly<Record<string, Layout>>): Span<number | null>[] {
  const i = specs.find((x) => x.filename === name);
  const own = name === undefined ? undefined : made[name];
  if (i === undefined || own === undefined) return [span(0, Infinity, name === undefined ? 0 : null)];
  const below = i.format === 'qcow2' ? windowOf(bytesOf(i.backing, specs, made), 0, sectors(i.size), 0) : [];
  return own.flatMap((x) => (x.v.kind !== 'none' || i.format === 'raw' ? [span(x.start, x.end, x.v.byte)] : windowOf(below, x.start, x.end, 0).map((y) => span(y.start + x.start, y.end + x.start, y.v))));
}

function qcow2Layout(i: ImageSpec, specs: readonly ImageSpec[], made: Readonly<Record<string, Layout>>): Layout {
  const [size, cluster] = [sectors(i.size), i.cluster_size ?? DEFAULT_CLUSTER];
  let xs: Span<Held>[] = [span(0, size, NONE)];
  for (const w of i.writes ?? []) {
    const [start, end] = [w.offset, w.offset + w.length];
    if (isZeroWrite(w)) {
      xs = paint(xs, start, end, () => ({ kind: 'zero', byte: 0 }));
      continue;
    }
    // copy-on-write: the clusters the write touches become data, holding what the image served there before
    const served = bytesOf(i.filename, specs, { ...made, [i.filename]: xs });
    const [a, b] = [Math.floor(start / cluster) * cluster, Math.min(size, Math.ceil(end / cluster) * cluster)];
    const cow = windowOf(served, a, b, 0).map((y) => span(y.start + a, y.end + a, { kind: 'data', byte: y.v } as const));
    xs = [...within(xs, 0, a), ...cow, ...within(xs, b, size)];
    xs = paint(xs, start, end, () => ({ kind: 'data', byte: w.pattern }));
  }
  return xs;
}

/** Every image's layout, made in list order (a qcow2's copy-on-write reads only images made before it). */
export function layoutsOf(images: readonly ImageSpec[]): Record<string, Layout> {
  const made: Record<string, Layout> = {};
  for (const i of images) made[i.filename] = i.format === 'raw' ? rawLayout(i) : qcow2Layout(i, images, made);
  return made;
}
