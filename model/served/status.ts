// Block status stated from the chain: each layer's own allocation (a filter and raw answer for their child's, a qcow2
// for its clusters, a file for its blocks), then down filters and backing links to where a range is allocated.
import type { DriverName } from '../drivers/driver.ts';
import { chainNext, childEdge, childEdges, cowChild, filterChild, lengthOf, node, num, str } from '../graph.ts';
import type { MNode, ModelState } from '../state.ts';
import type { Held } from './layout.ts';
import { paint, span, windowOf, zip, zip2 } from './spans.ts';
import type { Span } from './spans.ts';

/** Why the model does not follow what a range serves: an image a job or a copy-on-read read wrote, a null-co without
 * read-zeroes (whatever the buffer held), a vote among children that differ, a blkverify read that dies on a
 * mismatch, bytes the model does not lay out (a qcow2 image read as raw, past a child's end, an unknown length). */
export type Why = 'job-written' | 'uninitialised' | 'votes' | 'read-dies' | 'image-data';

/** One layer's answer: allocated there (absent with `why`: not followed), data and zero (absent: either). */
export type Flags = { readonly alloc?: boolean; readonly data?: boolean; readonly zero?: boolean; readonly why?: Why };
/** What qemu-img map shows: depth 1 allocated in the node's own layer, 2 below, 0 nowhere. */
export type Status = { readonly depth?: 0 | 1 | 2; readonly data?: boolean; readonly zero?: boolean; readonly why?: Why };

export const unknown = <T>(len: number, why: Why): Span<T & { why: Why }>[] => [span(0, len, { why } as T & { why: Why })];
/** An image's layout, if the model follows it and it holds `kind` content (a qcow2 image read raw holds metadata). */
export function layoutOf(s: ModelState, image: string | undefined, kind: 'raw' | 'qcow2'): readonly Span<Held>[] | Why {
  const i = image === undefined ? undefined : s.images[image];
  if (i === undefined) return 'image-data';
  return i.layout === undefined ? 'job-written' : i.content.kind === kind ? i.layout : 'image-data';
}

/** A node's length where the model follows it (a length kept from open that it lost is not guessed from below). */
export function servedLength(s: ModelState, name: string): number | undefined {
  const n = node(s, name);
  return n.size === undefined && s.drivers[n.driver].variableLength !== true ? undefined : lengthOf(s, name);
}

/** `rule` over the node's own length, cut or padded to `len` (past its end nothing is stated). */
export function fitted<T>(s: ModelState, name: string | undefined, len: number, rule: (n: MNode, own: number) => Span<T>[], lost: T): Span<T>[] {
  const own = name === undefined ? undefined : servedLength(s, name);
  return name === undefined || own === undefined ? [span(0, len, lost)] : windowOf(rule(node(s, name), own), 0, len, lost);
}

const fileFlags = (h: Held): Flags => (h.kind === 'data' ? { alloc: true, data: true, zero: false } : h.kind === 'block' ? { alloc: true } : { alloc: true, data: false, zero: true });

function qcow2Own(s: ModelState, n: MNode, len: number): Span<Flags>[] {
  const layout = layoutOf(s, n.image, 'qcow2');
  if (typeof layout === 'string') return unknown(len, layout);
  // unallocated: zeros without a backing or past its end, else whatever the backing has (a resize adds unallocated)
  const backing = cowChild(s, n.name);
  const eof = backing === undefined ? 0 : servedLength(s, backing);
  const held = paint(windowOf(layout, 0, len, { kind: 'none', byte: 0 }), eof ?? 0, len, (h) => h);
  return held.map((x): Span<Flags> => {
    const zero = x.v.kind === 'zero' || (x.v.kind === 'none' ? (eof === undefined ? undefined : x.start >= eof) : x.v.byte === 0 ? undefined : false);
    return span(x.start, x.end, { alloc: x.v.kind !== 'none', data: x.v.kind === 'data', ...(zero === undefined ? {} : { zero }) });
  });
}

/** A quorum answers data where any child has data, zero where all read as zero, allocated everywhere. */
function quorumOwn(s: ModelState, n: MNode, len: number): Span<Flags>[] {
  const children = childEdges(s, n.name).filter((e) => e.name.startsWith('children.'));
  return zip(children.map((e) => statusOf(s, e.child, len)), (vs): Flags => {
    const why = vs.find((v) => v.why !== undefined)?.why;
    if (vs.some((v) => v.data === true)) return { alloc: true, data: true, zero: false };
    return why === undefined && vs.every((v) => v.zero === true) ? { alloc: true, data: false, zero: true } : { why: why ?? 'votes' };
  });
}

/** Over [0, len), the node's own length. */
type Own = (s: ModelState, n: MNode, len: number) => Span<Flags>[];
const filter: Own = (s, n, len) => ownOf(s, filterChild(s, n.name), len);

const OWN: Readonly<Record<DriverName, Own>> = {
  file: (s, n, len) => {
    const layout = layoutOf(s, str(n.opts, 'filename'), 'raw');
    // a file grown past what was written is a hole there
    return typeof layout === 'string' ? unknown(len, layout) : windowOf(layout.map((x) => span(x.start, x.end, fileFlags(x.v))), 0, len, fileFlags({ kind: 'none', byte: 0 }));
  },
  'null-co': (_, n, len) => [span(0, len, n.opts['read-zeroes'] === true ? { alloc: true, data: false, zero: true } : { alloc: false, data: false, zero: false })],
  raw: (s, n, len) => {
    const offset = num(n.opts, 'offset') ?? 0;
    return windowOf(ownOf(s, childEdge(s, n.name, 'file')?.child, offset + len), offset, offset + len, { why: 'image-data' });
  },
  qcow2: qcow2Own,
  quorum: quorumOwn,
  ...{ throttle: filter, 'copy-on-read': filter, blkdebug: filter, blkverify: filter, mirror_top: filter, commit_top: filter },
};

/** A node's own layer over [0, len) (bdrv_co_block_status: a filter's and raw's are their child's). */
export function ownOf(s: ModelState, name: string | undefined, len: number): Span<Flags>[] {
  return fitted(s, name, len, (n, own) => OWN[n.driver](s, n, own), { why: 'image-data' });
}

/** Allocated in the node's own layer, else in the first layer below that has it; past a shorter layer's end its zeros
 * count as allocated there. Where nothing has it, the bottom layer's flags. */
export function statusOf(s: ModelState, name: string, len: number): Span<Status>[] {
  return fitted(s, name, len, (_, own) => {
    const next = chainNext(s, name);
    const eof = next === undefined ? undefined : servedLength(s, next);
    const below = next === undefined ? undefined : eof === undefined ? unknown<Status>(own, 'image-data') : windowOf(statusOf(s, next, Math.min(eof, own)), 0, own, { depth: 2, data: false, zero: true });
    return zip2(ownOf(s, name, own), below ?? [span(0, own, {})], (o: Flags, b: Status): Status => {
      if (o.why !== undefined || o.alloc === true) return o.why !== undefined ? { why: o.why } : { depth: 1, data: o.data, zero: o.zero };
      if (below === undefined) return { depth: 0, data: o.data, zero: o.zero };
      return b.why !== undefined ? b : { depth: b.depth === 0 ? 0 : 2, data: b.data, zero: b.zero };
    });
  }, { why: 'image-data' });
}
