// Human-readable differences between two normalized graphs, for reports when targets disagree.
import { compareCodePoints } from './py-order.ts';
import type { NormalizedEdge, NormalizedGraph, NormalizedNode } from './normalized-graph.ts';

/** One line per difference, `a` being the expected side: `node removed: …`, `edge added: …`, `perm changed: …`. */
export function diffGraphs(a: NormalizedGraph, b: NormalizedGraph): string[] {
  // nearly every comparison finds the same graph, item for item in the same order: nothing to describe
  if (sameInOrder(a, b)) return [];
  return [...diffNodes(a.nodes, b.nodes), ...diffEdges(a.edges, b.edges)];
}

const samePerms = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((p, i) => p === y[i]);

/** Equal item by item: then every group below is equal too. */
function sameInOrder(a: NormalizedGraph, b: NormalizedGraph): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x.name !== y.name || x.type !== y.type) return false;
    if (x.type === 'block-driver' && y.type === 'block-driver' && (x.drv !== y.drv || x.ro !== y.ro)) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const x = a.edges[i]!;
    const y = b.edges[i]!;
    if (x.parent !== y.parent || x.name !== y.name || x.child !== y.child || !samePerms(x.perm, y.perm) || !samePerms(x['shared-perm'], y['shared-perm'])) return false;
  }
  return true;
}

export function describeNode(n: NormalizedNode): string {
  return n.type === 'block-driver' ? `${n.name} (${String(n.drv)}, ${n.ro === true ? 'ro' : n.ro === false ? 'rw' : 'ro?'})` : `${n.name} (${n.type})`;
}

export function describeEdge(e: NormalizedEdge): string {
  return `${e.parent} -${e.name}-> ${e.child} perm [${e.perm.join(',')}] shared [${e['shared-perm'].join(',')}]`;
}

function diffNodes(a: readonly NormalizedNode[], b: readonly NormalizedNode[]): string[] {
  const lines: string[] = [];
  const before = groupBy(a, (n) => n.name);
  const after = groupBy(b, (n) => n.name);
  for (const name of unionKeys(before, after)) {
    const xs = before.get(name) ?? [];
    const ys = after.get(name) ?? [];
    const [x] = xs;
    const [y] = ys;
    if (xs.length === 1 && ys.length === 1 && x !== undefined && y !== undefined) {
      if (describeNode(x) !== describeNode(y)) lines.push(`node changed: ${describeNode(x)} -> ${describeNode(y)}`);
      continue;
    }
    // duplicate names (possible only with odd graphs): fall back to a multiset difference
    for (const n of minus(xs, ys, describeNode)) lines.push(`node removed: ${describeNode(n)}`);
    for (const n of minus(ys, xs, describeNode)) lines.push(`node added: ${describeNode(n)}`);
  }
  return lines;
}

function diffEdges(a: readonly NormalizedEdge[], b: readonly NormalizedEdge[]): string[] {
  const lines: string[] = [];
  const key = (e: NormalizedEdge): string => `${e.parent} -${e.name}-> ${e.child}`;
  const before = groupBy(a, key);
  const after = groupBy(b, key);
  for (const k of unionKeys(before, after)) {
    const xs = before.get(k) ?? [];
    const ys = after.get(k) ?? [];
    const [x] = xs;
    const [y] = ys;
    if (xs.length === 1 && ys.length === 1 && x !== undefined && y !== undefined) {
      const perm = x.perm.join(',') !== y.perm.join(',');
      const shared = x['shared-perm'].join(',') !== y['shared-perm'].join(',');
      if (perm) lines.push(`perm changed: ${k}: [${x.perm.join(',')}] -> [${y.perm.join(',')}]`);
      if (shared) lines.push(`shared-perm changed: ${k}: [${x['shared-perm'].join(',')}] -> [${y['shared-perm'].join(',')}]`);
      continue;
    }
    for (const e of minus(xs, ys, describeEdge)) lines.push(`edge removed: ${describeEdge(e)}`);
    for (const e of minus(ys, xs, describeEdge)) lines.push(`edge added: ${describeEdge(e)}`);
  }
  return lines;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

function unionKeys<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints);
}

/** Elements of xs not matched one-for-one in ys. */
function minus<T>(xs: readonly T[], ys: readonly T[], show: (x: T) => string): T[] {
  const left = ys.map(show);
  return xs.filter((x) => {
    const i = left.indexOf(show(x));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
