// Block status stated from the chain: each layer's own allocation (a filter and raw answer for their child's, a qcow2
// for its clusters, a file for its blocks), then down filters and backing links to where a range is allocated.
import type { DriverName } from '../drivers/driver.ts';
import { chainNext, childEdge, childEdges, cowChild, filterChild, lengthOf, node, num, str } from '../graph.ts';
import type { MNode, ModelState } from '../state.ts';
import { heldAt, type Layout, type Run } from './layout.ts';

/** Why the model does not follow what a range serves: an image a job or a copy-on-read read wrote, a null-co without
 * read-zeroes (whatever the buffer held), a vote among children that differ, a blkverify read that dies on a
 * mismatch, bytes the model does not lay out (a qcow2 image read as raw, past a node's end, a length it lost). */
export type Why = 'job-written' | 'uninitialised' | 'votes' | 'read-dies' | 'image-data';
/** What qemu-img map shows: depth 1 allocated in the node's own layer, 2 below, 0 nowhere; data and zero (absent:
 * either); `why`: not followed. A layer's own answer is depth 1 or 0. */
export type Status = { readonly depth?: 0 | 1 | 2; readonly data?: boolean; readonly zero?: boolean; readonly why?: Why };

/** A node's length where the model follows it (lengthOf: a length kept from open that it lost is not guessed). */
export const servedLength = (s: ModelState, name: string | undefined): number | undefined => (name === undefined ? undefined : lengthOf(s, name));

/** `rule` at `off` within the node's length; past it, or where the length is lost, `lost`. */
export function within<T>(s: ModelState, name: string | undefined, off: number, max: number, rule: (n: MNode, max: number) => Run<T>, lost: T): Run<T> {
  const len = servedLength(s, name);
  return name === undefined || len === undefined || off >= len ? { v: lost, n: max } : rule(node(s, name), Math.min(max, len - off));
}

/** An image's layout where the model follows it and it holds `kind` content (a qcow2 image read raw holds metadata). */
export function layoutOf(s: ModelState, image: string | undefined, kind: 'raw' | 'qcow2'): Layout | Why {
  const i = image === undefined ? undefined : s.images[image];
  return i === undefined ? 'image-data' : i.layout === undefined ? 'job-written' : i.content.kind === kind ? i.layout : 'image-data';
}

type Own = (s: ModelState, n: MNode, off: number, max: number) => Run<Status>;
const filter: Own = (s, n, off, max) => ownAt(s, filterChild(s, n.name), off, max);
const ALLOCATED = { data: { depth: 1, data: true, zero: false }, block: { depth: 1 }, none: { depth: 1, data: false, zero: true } } as const;

const OWN: Readonly<Record<DriverName, Own>> = {
  file: (s, n, off, max) => {
    const l = layoutOf(s, str(n.opts, 'filename'), 'raw');
    const h = typeof l === 'string' ? { v: { kind: l }, n: max } : heldAt(s, l, off, max);
    return { v: h.v.kind === 'data' || h.v.kind === 'block' || h.v.kind === 'none' ? ALLOCATED[h.v.kind] : { why: h.v.kind as Why }, n: h.n };
  },
  'null-co': (_, n, __, max) => ({ v: n.opts['read-zeroes'] === true ? { depth: 1, data: false, zero: true } : { depth: 0, data: false, zero: false }, n: max }),
  raw: (s, n, off, max) => ownAt(s, childEdge(s, n.name, 'file')?.child, off + (num(n.opts, 'offset') ?? 0), max),
  qcow2: (s, n, off, max) => {
    const l = layoutOf(s, n.image, 'qcow2');
    const h = typeof l === 'string' ? undefined : heldAt(s, l, off, max);
    if (h === undefined || h.v.kind !== 'none') return h === undefined ? { v: { why: l as Why }, n: max } : { v: { depth: 1, data: h.v.kind === 'data', ...(h.v.kind === 'zero' ? { zero: true } : h.v.byte !== 0 ? { zero: false } : {}) }, n: h.n };
    // unallocated: zeros without a backing or from its end on, else whatever the backing has; judged by where the run
    // starts (bdrv_co_block_status does not cut it at the backing's end: only the walk down the chain does, statusAt)
    const eof = cowChild(s, n.name) === undefined ? 0 : servedLength(s, cowChild(s, n.name));
    return { v: { depth: 0, data: false, ...(eof === undefined ? {} : { zero: off >= eof }) }, n: h.n };
  },
  // data where any child has data, zero where all read as zero
  quorum: (s, n, off, max) => {
    const vs = childEdges(s, n.name).filter((e) => e.name.startsWith('children.')).map((e) => statusAt(s, e.child, off, max));
    const [why, m] = [vs.find((r) => r.v.why !== undefined)?.v.why, Math.min(...vs.map((r) => r.n))];
    if (vs.some((r) => r.v.data === true)) return { v: ALLOCATED.data, n: m };
    return { v: why === undefined && vs.every((r) => r.v.zero === true) ? ALLOCATED.none : { why: why ?? 'votes' }, n: m };
  },
  ...{ throttle: filter, 'copy-on-read': filter, blkdebug: filter, blkverify: filter, mirror_top: filter, commit_top: filter },
};

/** A node's own layer at `off` (bdrv_co_block_status: a filter's and raw's are their child's). */
const ownAt = (s: ModelState, name: string | undefined, off: number, max: number): Run<Status> => within(s, name, off, max, (n, m) => OWN[n.driver](s, n, off, m), { why: 'image-data' });

/** Allocated in the node's own layer, else in the first layer below that has it (past a shorter layer's end its zeros
 * count as allocated there); where nothing has it, the bottom layer's flags. */
export function statusAt(s: ModelState, name: string, off: number, max: number): Run<Status> {
  const o = ownAt(s, name, off, max);
  const [next, eof] = [chainNext(s, name), servedLength(s, chainNext(s, name))];
  if (o.v.why !== undefined || o.v.depth === 1 || next === undefined) return o;
  if (eof === undefined || off >= eof) return { v: eof === undefined ? { why: 'image-data' } : { depth: 2, data: false, zero: true }, n: o.n };
  const b = statusAt(s, next, off, Math.min(o.n, eof - off));
  return { v: b.v.why !== undefined || b.v.depth === 0 ? b.v : { ...b.v, depth: 2 }, n: b.n };
}
