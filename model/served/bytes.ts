// What a read of a node returns, stated from the chain: a filter reads its child, raw a window of its file, a qcow2
// its own clusters else its backing (zeros past it or without one), a quorum what its children agree on.
import type { DriverName } from '../drivers/driver.ts';
import { childEdge, childEdges, cowChild, filterChild, imageAtZero, num, str } from '../graph.ts';
import type { MNode, ModelState } from '../state.ts';
import { heldAt, type Run } from './layout.ts';
import { layoutOf, servedLength, statusAt, within, type Why } from './status.ts';

/** A byte value, or why the model does not follow it. */
export type Byte = number | Why;
type Read = (s: ModelState, n: MNode, off: number, max: number) => Run<Byte>;
const filter: Read = (s, n, off, max) => byteAt(s, filterChild(s, n.name), off, max);

/** Whether a read through a qcow2's `file` still reaches the image its metadata came from. */
const readsOwnImage = (s: ModelState, n: MNode): boolean => {
  const f = childEdge(s, n.name, 'file')?.child;
  const r = f === undefined ? undefined : imageAtZero(s, f);
  return r?.ok === true && r.value === n.image;
};

const READ: Readonly<Record<DriverName, Read>> = {
  file: (s, n, off, max) => {
    const l = layoutOf(s, str(n.opts, 'filename'), 'raw');
    const h = typeof l === 'string' ? undefined : heldAt(s, l, off, max);
    return h === undefined ? { v: l as Why, n: max } : { v: h.v.byte ?? 'image-data', n: h.n };
  },
  'null-co': (_, n, __, max) => ({ v: n.opts['read-zeroes'] === true ? 0 : 'uninitialised', n: max }),
  raw: (s, n, off, max) => byteAt(s, childEdge(s, n.name, 'file')?.child, off + (num(n.opts, 'offset') ?? 0), max),
  qcow2: (s, n, off, max) => {
    const l = layoutOf(s, n.image, 'qcow2');
    const h = typeof l === 'string' ? undefined : heldAt(s, l, off, max);
    // a data cluster is read through its file, which a reopen may have pointed at other bytes than its image's
    if (h?.v.kind === 'data' && !readsOwnImage(s, n)) return { v: 'image-data', n: h.n };
    if (h === undefined || h.v.kind !== 'none') return { v: h === undefined ? (l as Why) : (h.v.byte ?? 'image-data'), n: h?.n ?? max };
    const [below, eof] = [cowChild(s, n.name), servedLength(s, cowChild(s, n.name))];
    if (below !== undefined && eof === undefined) return { v: 'image-data', n: h.n };
    return below === undefined || off >= eof! ? { v: 0, n: h.n } : byteAt(s, below, off, Math.min(h.n, eof! - off));
  },
  quorum: (s, n, off, max) => {
    const vs = childEdges(s, n.name).filter((e) => e.name.startsWith('children.')).map((e) => byteAt(s, e.child, off, max));
    const v = vs.find((r) => typeof r.v === 'string')?.v ?? (new Set(vs.map((r) => r.v)).size === 1 ? vs[0]!.v : 'votes');
    return { v, n: Math.min(...vs.map((r) => r.n)) };
  },
  // blkverify reads `test` and `raw` and dies where they differ; what its `raw` calls zero is not read at all
  blkverify: (s, n, off, max) => {
    const [t, r] = ['test', 'raw'].map((e) => byteAt(s, childEdge(s, n.name, e)?.child, off, max)) as [Run<Byte>, Run<Byte>];
    const st = statusAt(s, n.name, off, max);
    const v = st.v.zero === true ? 0 : typeof t.v === 'string' ? t.v : typeof r.v === 'string' ? r.v : t.v === r.v ? t.v : 'read-dies';
    return { v, n: Math.min(t.n, r.n, st.n) };
  },
  ...{ throttle: filter, 'copy-on-read': filter, blkdebug: filter, mirror_top: filter, commit_top: filter },
};

/** The byte a read of `name` returns at `off`, and for how many bytes on. */
export const byteAt = (s: ModelState, name: string | undefined, off: number, max: number): Run<Byte> =>
  within<Byte>(s, name, off, max, (n, m) => READ[n.driver](s, n, off, m), 'image-data');
