// Differences between two snapshots, one line each; list order (newest-first parents) is not compared.
import { wireJson } from '../qmp/json/wire-text.ts';
import type { GraphSnapshot, SnapEdge, SnapNode } from './snapshot.ts';

type Comparable = { readonly [k: string]: unknown };

function nodeForm(n: SnapNode): Comparable {
  return { ...n, parentEdges: [...n.parentEdges].sort() };
}

function edgeForm(e: SnapEdge): Comparable {
  return e as unknown as Comparable;
}

function keyedDiff<T>(what: string, a: readonly T[], b: readonly T[], key: (x: T) => string, form: (x: T) => Comparable): string[] {
  const before = new Map(a.map((x) => [key(x), form(x)]));
  const after = new Map(b.map((x) => [key(x), form(x)]));
  const out: string[] = [];
  for (const [k, x] of before) {
    const y = after.get(k);
    if (y === undefined) {
      out.push(`${what} removed: ${k}`);
      continue;
    }
    for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const l = wireJson(x[field]);
      const r = wireJson(y[field]);
      if (l !== r) out.push(`${what} ${k}: ${field} ${l} -> ${r}`);
    }
  }
  for (const k of after.keys()) if (!before.has(k)) out.push(`${what} added: ${k}`);
  return out;
}

// each snapshot is the `after` of one step and the `before` of the next: stringify it once
const texts = new WeakMap<GraphSnapshot, string>();

/** The snapshot as comparable text: nodes with their parents as a set, in graph order. */
function canonicalText(g: GraphSnapshot): string {
  const known = texts.get(g);
  if (known !== undefined) return known;
  const text = wireJson({ ...g, nodes: g.nodes.map(nodeForm) });
  texts.set(g, text);
  return text;
}

export function diffSnapshots(a: GraphSnapshot, b: GraphSnapshot): string[] {
  // nearly every failed command changes nothing: compare whole texts before looking field by field
  if (canonicalText(a) === canonicalText(b)) return [];
  const out = [
    ...keyedDiff('node', a.nodes, b.nodes, (n) => n.name, nodeForm),
    ...keyedDiff('edge', a.edges, b.edges, (e) => e.key, edgeForm),
    ...keyedDiff('export', a.exports, b.exports, (x) => x.id, (x) => x),
    ...keyedDiff('throttle-group', a.throttleGroups, b.throttleGroups, (t) => t.id, (t) => t),
    ...keyedDiff('job', a.jobs, b.jobs, (j) => j.id, (j) => j),
  ];
  if (a.nbdServerRunning !== b.nbdServerRunning) out.push(`nbd server running: ${String(a.nbdServerRunning)} -> ${String(b.nbdServerRunning)}`);
  return out;
}
