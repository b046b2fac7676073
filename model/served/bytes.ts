// What a read of a node returns, stated from the chain: a filter reads its child, raw a window of its file, a qcow2
// its own clusters else its backing (zeros past it or without one), a quorum what its children agree on.
import type { DriverName } from '../drivers/driver.ts';
import { childEdge, childEdges, cowChild, filterChild, num, str } from '../graph.ts';
import type { MNode, ModelState } from '../state.ts';
import { span, windowOf, zip, zip2 } from './spans.ts';
import type { Span } from './spans.ts';
import { fitted, layoutOf, servedLength, statusOf } from './status.ts';
import type { Why } from './status.ts';

/** A byte value, or why the model does not follow it. */
export type Byte = number | Why;

const lost = (len: number, why: Why): Span<Byte>[] => [span(0, len, why)];
type Read = (s: ModelState, n: MNode, len: number) => Span<Byte>[];
const filter: Read = (s, n, len) => bytesOf(s, filterChild(s, n.name), len);

function qcow2(s: ModelState, n: MNode, len: number): Span<Byte>[] {
  const layout = layoutOf(s, n.image, 'qcow2');
  if (typeof layout === 'string') return lost(len, layout);
  const backing = cowChild(s, n.name);
  const eof = backing === undefined ? 0 : servedLength(s, backing);
  const below = eof === undefined ? lost(len, 'image-data') : windowOf(bytesOf(s, backing, Math.min(eof, len)), 0, len, 0);
  return zip2(windowOf(layout, 0, len, { kind: 'none', byte: 0 }), below, (h, b): Byte => (h.kind === 'none' ? b : (h.byte ?? 'image-data')));
}

const READ: Readonly<Record<DriverName, Read>> = {
  file: (s, n, len) => {
    const layout = layoutOf(s, str(n.opts, 'filename'), 'raw');
    return typeof layout === 'string' ? lost(len, layout) : windowOf(layout, 0, len, { kind: 'none', byte: 0 }).map((x) => span(x.start, x.end, x.v.byte ?? 'image-data'));
  },
  'null-co': (_, n, len) => [span(0, len, n.opts['read-zeroes'] === true ? 0 : 'uninitialised')],
  raw: (s, n, len) => {
    const offset = num(n.opts, 'offset') ?? 0;
    return windowOf(bytesOf(s, childEdge(s, n.name, 'file')?.child, offset + len), offset, offset + len, 'image-data');
  },
  qcow2,
  quorum: (s, n, len) => {
    const children = childEdges(s, n.name).filter((e) => e.name.startsWith('children.'));
    return zip(children.map((e) => bytesOf(s, e.child, len)), (vs): Byte => vs.find((v) => typeof v === 'string') ?? (new Set(vs).size === 1 ? vs[0]! : 'votes'));
  },
  // blkverify reads `test` and `raw` and dies where they differ; what its `raw` calls zero is not read at all
  blkverify: (s, n, len) => {
    const [test, raw] = ['test', 'raw'].map((e) => bytesOf(s, childEdge(s, n.name, e)?.child, len)) as [Span<Byte>[], Span<Byte>[]];
    const compared = zip2(test, raw, (t, r): Byte => (typeof t === 'string' ? t : typeof r === 'string' ? r : t === r ? t : 'read-dies'));
    return zip2(compared, statusOf(s, n.name, len), (b, st): Byte => (st.zero === true ? 0 : b));
  },
  ...{ throttle: filter, 'copy-on-read': filter, blkdebug: filter, mirror_top: filter, commit_top: filter },
};

/** The bytes a read of `name` returns over [0, len). */
export function bytesOf(s: ModelState, name: string | undefined, len: number): Span<Byte>[] {
  return fitted<Byte>(s, name, len, (n, own) => READ[n.driver](s, n, own), 'image-data');
}
