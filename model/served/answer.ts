// The model's answer to an observation step (qmp/observation.ts): the block status or the bytes a node serves, as
// stated from the chain, or why it does not judge the step.
import type { ObservationStep } from '../../qmp/observation.ts';
import { findNode, isFilter, node, skipFilters } from '../graph.ts';
import type { ModelState } from '../state.ts';
import { bytesOf } from './bytes.ts';
import { merged } from './spans.ts';
import type { Span } from './spans.ts';
import { servedLength, statusOf } from './status.ts';
import type { Status, Why } from './status.ts';

export type ServedAnswer =
  /** `block`: the export's block size (the node's request alignment, at least a sector): qemu-img's NBD client
   * answers a block whose bytes differ in status as one, so the comparison judges only uniform blocks. */
  | { readonly kind: 'status'; readonly length: number; readonly status: readonly Span<Status>[]; readonly block: number; readonly path: string }
  | { readonly kind: 'checksum'; readonly length: number; readonly bytes: readonly Span<number>[]; readonly path: string }
  | { readonly kind: 'not-judged'; readonly why: Why };

/** `blkdebug>qcow2`: the node's driver, and below filters the driver that serves. */
function pathOf(s: ModelState, name: string): string {
  const n = node(s, name);
  const under = skipFilters(s, name);
  return isFilter(n) && under !== undefined ? `${n.driver}>${node(s, under).driver}` : n.driver;
}

export function servedAnswer(s: ModelState, o: ObservationStep): ServedAnswer {
  const n = findNode(s, o.node);
  const length = n === undefined ? undefined : servedLength(s, o.node);
  if (n === undefined || length === undefined) return { kind: 'not-judged', why: 'image-data' };
  const path = pathOf(s, o.node);
  if (o.kind === 'observe-block-status') {
    // ranges that differ only in the bytes they hold are one: the status changes only where a span ends
    const status = merged(statusOf(s, o.node, length), (a, b) => a.depth === b.depth && a.data === b.data && a.zero === b.zero && a.why === b.why);
    const why = status.every((x) => x.v.why !== undefined) ? status[0]?.v.why : undefined;
    const block = Math.max(512, s.drivers[n.driver].writeAlign?.(n) ?? 1);
    return why !== undefined ? { kind: 'not-judged', why } : { kind: 'status', length, status, block, path };
  }
  const bytes = merged(bytesOf(s, o.node, length), (a, b) => a === b);
  const lost = bytes.find((x) => typeof x.v === 'string')?.v;
  return typeof lost === 'string' ? { kind: 'not-judged', why: lost } : { kind: 'checksum', length, bytes: bytes as Span<number>[], path };
}
