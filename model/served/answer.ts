// The model's answer to an observation step (qmp/observation.ts): the block status or the bytes a node serves, as
// stated from the chain, range by range, or why it does not judge the step.
import type { ObservationStep } from '../../qmp/observation.ts';
import { findNode, isFilter, node, skipFilters } from '../graph.ts';
import type { ModelState } from '../state.ts';
import { byteAt } from './bytes.ts';
import type { Run } from './layout.ts';
import { servedLength, statusAt, type Status, type Why } from './status.ts';

export type Span<T> = { readonly start: number; readonly end: number; readonly v: T };
export type ServedAnswer =
  /** `block`: the export's block size (the node's request alignment, at least a sector): qemu-img's NBD client
   * answers a block whose bytes differ in status as one, so the comparison judges only uniform blocks. */
  | { readonly kind: 'status'; readonly length: number; readonly status: readonly Span<Status>[]; readonly block: number; readonly path: string }
  | { readonly kind: 'checksum'; readonly length: number; readonly bytes: readonly Span<number>[]; readonly path: string }
  | { readonly kind: 'not-judged'; readonly why: Why };

/** The runs from 0 to `length`, adjacent equal ones as one. */
function spans<T>(length: number, at: (off: number, max: number) => Run<T>, same: (a: T, b: T) => boolean): Span<T>[] {
  const out: Span<T>[] = [];
  for (let off = 0; off < length; ) {
    const { v, n } = at(off, length - off);
    const last = out[out.length - 1];
    if (last && same(last.v, v)) out[out.length - 1] = { ...last, end: off + n };
    else out.push({ start: off, end: off + n, v });
    off += n;
  }
  return out;
}

export function servedAnswer(s: ModelState, o: ObservationStep): ServedAnswer {
  const n = findNode(s, o.node);
  const length = n === undefined ? undefined : servedLength(s, o.node);
  if (n === undefined || length === undefined) return { kind: 'not-judged', why: 'image-data' };
  // `blkdebug>qcow2`: the node's driver, and below filters the driver that serves
  const under = skipFilters(s, o.node);
  const path = isFilter(n) && under !== undefined ? `${n.driver}>${node(s, under).driver}` : n.driver;
  if (o.kind === 'observe-block-status') {
    const status = spans(length, (off, max) => statusAt(s, o.node, off, max), (a, b) => a.depth === b.depth && a.data === b.data && a.zero === b.zero && a.why === b.why);
    const why = status.every((x) => x.v.why !== undefined) ? status[0]?.v.why : undefined;
    const block = Math.max(512, s.drivers[n.driver].writeAlign?.(n) ?? 1);
    return why !== undefined ? { kind: 'not-judged', why } : { kind: 'status', length, status, block, path };
  }
  const bytes = spans(length, (off, max) => byteAt(s, o.node, off, max), (a, b) => a === b);
  const lost = bytes.find((x) => typeof x.v === 'string')?.v;
  return typeof lost === 'string' ? { kind: 'not-judged', why: lost } : { kind: 'checksum', length, bytes: bytes as Span<number>[], path };
}
