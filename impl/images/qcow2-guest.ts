// A qcow2 image's clusters as guest data: reads (unallocated clusters from below), writes (copy-on-write of partly
// written clusters, zero clusters for whole-cluster zero writes).
import { bytesLength, concat, fill, overwrite, slice, zeros, type Bytes } from './bytes.ts';
import type { Qcow2Cluster } from './guest-data.ts';

/** What lies below the image at a guest range: its backing file's bytes, or zeros. */
export type ReadBelow = (from: number, length: number) => Bytes;

export function qcow2Read(clusters: ReadonlyMap<number, Qcow2Cluster>, cs: number, from: number, length: number, below: ReadBelow): Bytes {
  const parts: Bytes[] = [];
  for (let at = from; at < from + length; ) {
    const idx = Math.floor(at / cs);
    const end = Math.min(from + length, (idx + 1) * cs);
    const c = clusters.get(idx);
    if (!c) parts.push(below(at, end - at));
    else parts.push(c.kind === 'zero' ? zeros(end - at) : slice(c.bytes, at - idx * cs, end - at));
    at = end;
  }
  return concat(...parts);
}

/** The write: data bytes, or zeroes (`unmap`: BDRV_REQ_MAY_UNMAP, a file punches a hole). */
export type GuestWrite = { readonly kind: 'data'; readonly bytes: Bytes } | { readonly kind: 'zero'; readonly length: number; readonly unmap?: true };

export const writeLength = (w: GuestWrite): number => (w.kind === 'data' ? bytesLength(w.bytes) : w.length);

const hasHost = (c: Qcow2Cluster | undefined): boolean => c !== undefined && (c.kind === 'data' || c.hosted === true);

/**
 * The clusters after the write at `at`; `fresh`: the indexes it gave an L2 entry anew (data or zero), `hosted`: those
 * it gave a new host data cluster (written where there was none, a plain zero cluster included), both in order.
 */
export function qcow2Write(
  clusters: ReadonlyMap<number, Qcow2Cluster>,
  cs: number,
  at: number,
  w: GuestWrite,
  below: ReadBelow,
): { readonly clusters: Map<number, Qcow2Cluster>; readonly fresh: readonly number[]; readonly hosted: readonly number[]; readonly partial: boolean } {
  const out = new Map(clusters);
  const fresh: number[] = [];
  const hosted: number[] = [];
  let partial = false;
  const len = writeLength(w);
  for (let idx = Math.floor(at / cs); idx * cs < at + len; idx++) {
    const s = Math.max(at, idx * cs);
    const e = Math.min(at + len, (idx + 1) * cs);
    const whole = s === idx * cs && e === (idx + 1) * cs;
    const old = out.get(idx);
    if (!old) fresh.push(idx);
    if (w.kind === 'zero' && whole) {
      // zeroing without unmap keeps a host cluster (zero_in_l2_slice); with unmap it is freed
      out.set(idx, hasHost(old) && w.unmap !== true ? { kind: 'zero', hosted: true } : { kind: 'zero' });
      continue;
    }
    if (!hasHost(old)) hosted.push(idx);
    // the rest of a new or zero cluster is copied from below or zeroed (with fallocate where it reads zeros)
    if (!whole && w.kind === 'data' && old?.kind !== 'data') partial = true;
    const src = w.kind === 'zero' ? zeros(e - s) : slice(w.bytes, s - at, e - s);
    // copy-on-write: the rest of a newly allocated cluster comes from below
    const base = !old ? below(idx * cs, cs) : old.kind === 'zero' ? zeros(cs) : old.bytes;
    out.set(idx, { kind: 'data', bytes: overwrite(base, s - idx * cs, src) });
  }
  return { clusters: out, fresh, hosted, partial };
}

export const patternWrite = (length: number, byte: number): GuestWrite => ({ kind: 'data', bytes: fill(length, byte) });
