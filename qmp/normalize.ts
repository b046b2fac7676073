// Builds the comparison form of a block graph exactly as ../shared/tools/qmprun.py's normalize() does.
import { compareCodePoints, sortedStrings } from './py-order.ts';
import type {
  NamedNodeInfo,
  NormalizedEdge,
  NormalizedGraph,
  NormalizedNode,
  RawBlockGraph,
  RawGraphEdge,
  RawGraphNode,
} from './normalized-graph.ts';

/** Takes the `return`s of x-debug-query-block-graph and query-named-block-nodes {flat: true}. */
export function normalizeGraph(g: RawBlockGraph, named: readonly NamedNodeInfo[]): NormalizedGraph {
  const info = new Map<string, NamedNodeInfo>();
  for (const n of named) info.set(n['node-name'], n);
  const canon = nameNodes(g);
  const nameOf = (id: number): string => canon.get(id) ?? '?';
  const nodes: NormalizedNode[] = g.nodes.map((n) => {
    if (n.type !== 'block-driver') return { name: nameOf(n.id), type: n.type };
    const i = info.get(n.name);
    return { name: nameOf(n.id), type: n.type, drv: i?.drv ?? null, ro: i?.ro ?? null };
  });
  const edges: NormalizedEdge[] = g.edges.map((e) => ({
    parent: nameOf(e.parent),
    name: e.name,
    child: nameOf(e.child),
    perm: sortedCopy(e.perm),
    'shared-perm': sortedCopy(e['shared-perm']),
  }));
  return {
    nodes: sortInPlace(nodes, (a, b) => compareCodePoints(a.name, b.name)),
    edges: sortInPlace(edges, (a, b) => compareCodePoints(a.parent, b.parent) || compareCodePoints(a.name, b.name) || compareCodePoints(a.child, b.child)),
  };
}

/** A stable sort in place (binary insertion: graphs are small), as Array.prototype.sort gives, without the work
 * arrays it allocates on every call: twice a step for each of the two graphs a comparison builds. */
function sortInPlace<T>(xs: T[], cmp: (a: T, b: T) => number): T[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    if (cmp(xs[i - 1]!, x) <= 0) continue;
    // the first place whose item sorts after x: equal items stay before it
    let [lo, hi] = [0, i - 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(xs[mid]!, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let j = i; j > lo; j--) xs[j] = xs[j - 1]!;
    xs[lo] = x;
  }
  return xs;
}

/** sortedStrings without the sort where the list is in order already (every graph's perm lists, twice a step). */
function sortedCopy<T extends string>(xs: readonly T[]): T[] {
  for (let i = 1; i < xs.length; i++) if (compareCodePoints(xs[i - 1]!, xs[i]!) > 0) return sortInPlace([...xs], compareCodePoints);
  return xs.slice();
}

/** Canonical name per node id: user names, then first paths from them, then anonymous parents, then `?name`. */
export function nameNodes(g: RawBlockGraph): Map<number, string> {
  const byId = new Map<number, RawGraphNode>(g.nodes.map((n) => [n.id, n]));
  const out = new Map<number, RawGraphEdge[]>();
  for (const e of g.edges) {
    const list = out.get(e.parent);
    if (list) list.push(e);
    else out.set(e.parent, [e]);
  }
  const canon = new Map<number, string>();
  const queue = sortInPlace(g.nodes.filter((n) => !isAutomatic(n)), (a, b) => compareCodePoints(a.type, b.type) || compareCodePoints(a.name, b.name));
  for (const n of queue) canon.set(n.id, n.type === 'block-job' ? `job:${n.name}` : n.name);
  // breadth-first from the named nodes, edges by name, so the first path found names a node
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    if (n === undefined) break;
    const edges = sortedBy(out.get(n.id) ?? [], (e) => e.name);
    for (const e of edges) {
      const c = byId.get(e.child);
      if (c === undefined || canon.has(c.id)) continue;
      canon.set(c.id, `${canon.get(n.id) ?? ''}/${e.name}`);
      queue.push(c);
    }
  }
  nameAnonymousParents(g, out, canon);
  for (const n of g.nodes) if (!canon.has(n.id)) canon.set(n.id, `?${n.name}`);
  return canon;
}

/** Parents nothing reaches (anonymous BlockBackends) are named after their children: bb(a,b), bb(a)#2. */
function nameAnonymousParents(g: RawBlockGraph, out: ReadonlyMap<number, readonly RawGraphEdge[]>, canon: Map<number, string>): void {
  const rest = g.nodes.filter((n) => !canon.has(n.id));
  if (rest.length === 0) return;
  const taken = new Set(canon.values());
  let changed = true;
  while (rest.length > 0 && changed) {
    changed = false;
    for (const n of [...rest]) {
      const kids = (out.get(n.id) ?? []).map((e) => canon.get(e.child));
      // Python's all(): an empty name counts as missing, and a childless parent qualifies
      if (!kids.every((k): k is string => k !== undefined && k !== '')) continue;
      const base = `${n.type === 'block-backend' ? 'bb' : 'node'}(${sortedStrings(kids).join(',')})`;
      let name = base;
      for (let k = 2; taken.has(name); k++) name = `${base}#${k}`;
      canon.set(n.id, name);
      taken.add(name);
      rest.splice(rest.indexOf(n), 1);
      changed = true;
    }
  }
}

/** A stable sort by a text key, code point order, copying only where the list is out of order. */
function sortedBy<T>(xs: readonly T[], key: (x: T) => string): readonly T[] {
  for (let i = 1; i < xs.length; i++) if (compareCodePoints(key(xs[i - 1]!), key(xs[i]!)) > 0) return sortInPlace([...xs], (a, b) => compareCodePoints(key(a), key(b)));
  return xs;
}

function isAutomatic(n: RawGraphNode): boolean {
  return (
    (n.type === 'block-driver' && (n.name.startsWith('#') || n.name === '')) ||
    (n.type === 'block-backend' && n.name === '')
  );
}
