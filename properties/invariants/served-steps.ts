// Reading observation steps (qmp/observation.ts) out of a run's step facts: which node a step observed, what it
// answered, and the graph questions the served-data invariants ask (filters, request alignment, who reads whom).
import { isNotModelled, observationOf, type ObservationName, type ServedExtent } from '../../qmp/observation.ts';
import type { JsonValue } from '../../qmp/types.ts';
import type { GraphSnapshot, SnapNode } from '../snapshot.ts';
import type { StepFacts } from './invariant.ts';

export interface Observed {
  readonly kind: ObservationName;
  readonly node: string;
  readonly value: JsonValue;
}

/** The answer of a successful observation step; undefined for anything else. */
export function observed(step: StepFacts): Observed | undefined {
  const o = observationOf(step.command);
  // an answer the impl does not model says nothing either way
  if (!o || step.outcome.kind !== 'ok' || step.outcome.value === undefined || isNotModelled(step.outcome.value)) return undefined;
  // nor do bytes read through a null-co without read-zeroes: null_co_preadv leaves the buffer as it was
  if (o.kind === 'observe-checksum' && readsUninitialised(step.after, o.node)) return undefined;
  return { kind: o.kind, node: o.node, value: step.outcome.value };
}

/** Does `node` read through a null-co whose reads leave the buffer as it was (null_co_preadv without read-zeroes)? */
function readsUninitialised(g: GraphSnapshot, node: string): boolean {
  return [...reachable(g, node)].some((name) => {
    const n = nodeNamed(g, name);
    return n !== undefined && n.driver === 'null-co' && n.options['read-zeroes'] !== true;
  });
}

/** The last step, if it is a successful observation of this kind: where the served-data invariants start. */
export function lastObservation(steps: readonly StepFacts[], kind: ObservationName): { readonly step: StepFacts; readonly seen: Observed } | undefined {
  const step = steps[steps.length - 1];
  const seen = step ? observed(step) : undefined;
  return step && seen && seen.kind === kind ? { step, seen } : undefined;
}

export function extentsOf(v: JsonValue): readonly ServedExtent[] {
  return Array.isArray(v) ? (v as unknown as readonly ServedExtent[]) : [];
}

export const nodeNamed = (g: GraphSnapshot, name: string): SnapNode | undefined => g.nodes.find((n) => n.name === name);

/** The node's filtered child, if it is a filter. */
export function filteredChild(g: GraphSnapshot, n: SnapNode): SnapNode | undefined {
  if (!n.isFilter) return undefined;
  const e = g.edges.find((x) => x.parent.kind === 'node' && x.parent.id === n.id && x.role.kind === 'filtered');
  return e ? g.nodes.find((m) => m.id === e.childId) : undefined;
}

/** blkdebug's `align` (request_alignment); every other node takes any size. */
export function requestAlignment(n: SnapNode): number {
  return n.state.driver === 'blkdebug' ? n.state.align : 1;
}

/** The nodes `from` reads through (itself and everything below it, by any child edge). */
export function reachable(g: GraphSnapshot, from: string): ReadonlySet<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const n = nodeNamed(g, name);
    if (n) for (const e of g.edges) if (e.parent.kind === 'node' && e.parent.id === n.id) todo.push(e.child);
  }
  return seen;
}

/** The extents up to `end` (the last one cut there). */
function clip(xs: readonly ServedExtent[], end: number): ServedExtent[] {
  return xs.filter((x) => x.start < end).map((x) => (x.start + x.length > end ? { ...x, length: end - x.start } : x));
}

const total = (xs: readonly ServedExtent[]): number => xs.reduce((n, x) => Math.max(n, x.start + x.length), 0);

/** Which part of two extents differs first: `extents` (where they start or end), else `depth`, `zero` or `data`. */
function extentPartDiffering(x: ServedExtent | undefined, y: ServedExtent | undefined): string | undefined {
  if (!x || !y || x.start !== y.start || x.length !== y.length) return 'extents';
  return x.depth !== y.depth ? 'depth' : x.zero !== y.zero ? 'zero' : x.data !== y.data ? 'data' : undefined;
}

/**
 * What differs between two block statuses over what both cover (a blkverify is as long as its test child, not its
 * filtered one), in the first extent that differs; undefined when they are the same there.
 */
export function extentsDiffer(x: readonly ServedExtent[], y: readonly ServedExtent[]): string | undefined {
  const end = Math.min(total(x), total(y));
  const a = clip(x, end);
  const b = clip(y, end);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = extentPartDiffering(a[i], b[i]);
    if (d !== undefined) return d;
  }
  return undefined;
}

export function sameExtents(x: readonly ServedExtent[], y: readonly ServedExtent[]): boolean {
  return extentsDiffer(x, y) === undefined;
}
