// What block jobs copy, as guest data (images/bytes.ts): stream's copy-on-read of the chain below into the device,
// an intermediate commit's copy into the base, a mirror's zeroing and copy into its target (mirror_dirty_init,
// mirror_iteration). Jobs run to their stable state at once, so each copies everything in one go.
import { allocatedAbove } from '../core/allocated-above.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { cowBs, passThroughChild, skipFilters } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { readAt, writeAt } from '../core/served-read.ts';
import { statusAbove } from '../core/served-status.ts';
import { isModelled } from '../images/bytes.ts';
import { copyUp, infoCluster } from '../core/copy-up.ts';

function zeroesWithUnmap(n: BlockNode | undefined): boolean {
  if (!n) return false;
  return n.driver.zeroesWithUnmap === true || zeroesWithUnmap(passThroughChild(n));
}

/** bdrv_can_write_zeroes_with_unmap: only a node opened with BDRV_O_UNMAP (discard=unmap; blockdev-add's default
 * is ignore, a nested child's unmap) may zero by unmapping; without it mirror_dirty_init marks the whole target dirty
 * and zeroes nothing first (measured on 7.2.22: a full mirror onto its own image keeps the data, with discard=unmap
 * it loses it). */
function canWriteZeroesWithUnmap(target: BlockNode): boolean {
  return target.discard === 'unmap' && zeroesWithUnmap(target);
}

/** bdrv_has_zero_init: a node with a backing file has none; a qcow2 or a plain file reads zeros when new. */
function hasZeroInit(n: BlockNode | undefined): boolean {
  const u = skipFilters(n);
  if (!u || cowBs(u)) return false;
  if (u.driver.hasZeroInit === true || u.driver.zeroesWithUnmap === true) return true;
  const below = passThroughChild(u);
  return below !== undefined && hasZeroInit(below);
}

/** stream_run: the device (unfiltered) gets what the chain below it holds down to the base overlay; it stops where
 * its backing file ends ("Finish early if end of backing file has been reached"), copying nothing past it. */
export function streamData(env: BlockEnv, unfiltered: BlockNode, baseOverlay: BlockNode): void {
  const cow = cowBs(unfiltered);
  copyUp(env, unfiltered, cow, baseOverlay, 0, Math.min(nodeLength(unfiltered), cow ? nodeLength(cow) : 0));
}

/** commit_run: what is allocated from `top` down to the base's overlay is read through `top` and written to `base`. */
export function commitData(env: BlockEnv, top: BlockNode, baseOverlay: BlockNode | undefined, base: BlockNode): void {
  const len = nodeLength(top);
  for (let at = 0; at < len; ) {
    const a = allocatedAbove(env, top, baseOverlay, at, len - at);
    const n = Math.max(a.pnum, 1);
    if (a.allocated) {
      const r = readAt(env, top, at, n);
      if (r.kind === 'bytes' && isModelled(r.bytes)) writeAt(env, base, at, { kind: 'data', bytes: r.bytes });
    }
    at += n;
  }
}

export interface MirrorCopy {
  readonly zeroTarget: boolean;
  /** sync=top's base or the active commit's base: what is allocated above it is copied. */
  readonly base: BlockNode | undefined;
  readonly baseOverlay: BlockNode | undefined;
}

/** Dirty granules as sorted runs [from, to), neither overlapping nor touching: a 1 GiB source is 262,144 granules. */
type GranuleRuns = { from: number; to: number }[];

/** mirror_dirty_init, then mirror_iteration over each dirty run of granules. */
export function mirrorData(env: BlockEnv, src: BlockNode, target: BlockNode, p: MirrorCopy): void {
  const len = nodeLength(src);
  const cs = infoCluster(target);
  const g = cs > 0 ? Math.max(4096, cs) : 65536;
  const granules = Math.ceil(len / g);
  let dirty: GranuleRuns;
  if (p.zeroTarget && canWriteZeroesWithUnmap(target)) {
    writeAt(env, target, 0, { kind: 'zero', length: len, unmap: true });
    dirty = allocatedGranules(env, src, undefined, len, g);
  } else if (p.zeroTarget || (p.base === undefined && !hasZeroInit(target))) dirty = granules > 0 ? [{ from: 0, to: granules }] : [];
  else dirty = allocatedGranules(env, src, p.baseOverlay, len, g);
  for (const run of dirty) {
    // each pass copies from the run's first dirty granule on and cleans the granules it covered
    for (let i = run.from; i < run.to; ) {
      const off = i * g;
      const runEnd = Math.min(len, run.to * g);
      const s = statusAbove(env, src, true, off, runEnd - off);
      let io = s.pnum - (s.pnum % g);
      let method: 'copy' | 'zero' | 'discard' = s.data ? 'copy' : s.zero ? 'zero' : 'discard';
      if (io < g) [io, method] = [g, 'copy'];
      io = Math.min(io, runEnd - off);
      if (method === 'copy') {
        const r = readAt(env, src, off, io);
        if (r.kind === 'bytes' && isModelled(r.bytes)) writeAt(env, target, off, { kind: 'data', bytes: r.bytes });
      } else if (method === 'zero') writeAt(env, target, off, { kind: 'zero', length: io, unmap: true });
      i += Math.ceil(io / g);
    }
  }
}

/** The granules with something allocated from `src` down to `bottom` (the dirty bitmap mirror_dirty_init sets). */
function allocatedGranules(env: BlockEnv, src: BlockNode, bottom: BlockNode | undefined, len: number, g: number): GranuleRuns {
  const out: GranuleRuns = [];
  for (let at = 0; at < len; ) {
    const a = allocatedAbove(env, src, bottom, at, len - at);
    const n = Math.max(a.pnum, 1);
    if (a.allocated) {
      const from = Math.floor(at / g);
      const to = Math.ceil((at + n) / g);
      const last = out[out.length - 1];
      if (last !== undefined && from <= last.to) last.to = Math.max(last.to, to);
      else out.push({ from, to });
    }
    at += n;
  }
  return out;
}
