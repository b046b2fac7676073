// The impl's whole state as one canonical string: every field of every node, edge, BlockBackend, job, image and
// export, read generically (hidden driver and job state included, so new fields count without code here), with
// graph entities named by their place in the graph instead of by allocation order.
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { Backend, BlockNode, Edge, JobParent } from '../../impl/core/graph.ts';
import type { RawBlockGraph, RawGraphEdge, RawGraphNode } from '../../qmp/normalized-graph.ts';
import { nameNodes } from '../../qmp/normalize.ts';

/** Fields that are allocation counters or the entity's own bookkeeping, not state (ids, names re-derived). */
const ENTITY_SKIP = new Set(['id', 'name', 'children', 'parents', 'edges', 'parent', 'child']);
const MAX_DEPTH = 12;

type Entity = BlockNode | Backend | JobParent;

/** Canonical names for every graph entity, given what each user-named node is to be called. */
function entityNames(env: BlockEnv, rename: (name: string) => string): Map<Entity, string> {
  const g = env.graph;
  const ids = new Map<Entity, number>();
  const nodes: RawGraphNode[] = [];
  const add = (e: Entity, type: RawGraphNode['type'], name: string): void => {
    ids.set(e, nodes.length);
    nodes.push({ id: nodes.length, type, name });
  };
  for (const n of g.nodes.values()) add(n, 'block-driver', n.autoNamed ? n.name : rename(n.name));
  for (const b of g.backends) add(b, 'block-backend', b.name);
  for (const j of g.jobs) add(j, 'block-job', j.jobId);
  const edges: RawGraphEdge[] = [];
  const owners: readonly (readonly [Entity, readonly Edge[]])[] = [
    ...[...g.nodes.values()].map((n) => [n, n.children] as const),
    ...g.backends.map((b) => [b, b.edges] as const),
    ...g.jobs.map((j) => [j, j.edges] as const),
  ];
  for (const [owner, list] of owners) {
    for (const e of list) {
      const parent = ids.get(owner);
      const child = ids.get(e.child);
      if (parent !== undefined && child !== undefined) edges.push({ parent, child, name: e.name, perm: e.perm, 'shared-perm': e.shared });
    }
  }
  const raw: RawBlockGraph = { nodes, edges };
  const canon = nameNodes(raw);
  return new Map([...ids].map(([e, id]) => [e, canon.get(id) ?? `?${id}`]));
}

export class StateDigest {
  /** Frozen objects never change (drivers, roles, constant perm sets): their text is computed once. */
  private readonly frozen = new WeakMap<object, string>();

  /** `rename` maps each user-given node name to what it is called here (identity when names must stay). */
  digest(env: BlockEnv, rename: (name: string) => string): string {
    const names = entityNames(env, rename);
    const refs = new Map<object, string>(names);
    const strings = new Map<string, string>();
    for (const n of env.graph.nodes.values()) strings.set(n.name, names.get(n) ?? n.name);
    const owners: readonly (readonly [Entity, readonly Edge[]])[] = [
      ...[...env.graph.nodes.values()].map((n) => [n, n.children] as const),
      ...env.graph.backends.map((b) => [b, b.edges] as const),
      ...env.graph.jobs.map((j) => [j, j.edges] as const),
    ];
    const edges: Edge[] = [];
    const keys = new Set<string>();
    for (const [owner, list] of owners) {
      for (const e of list) {
        if (refs.has(e)) continue;
        const base = `${names.get(owner) ?? '?'}>${e.name}`;
        let key = base;
        for (let k = 2; keys.has(key); k++) key = `${base}#${k}`;
        keys.add(key);
        refs.set(e, key);
        edges.push(e);
      }
    }
    const nodes = [...env.graph.nodes.values()];
    const w = new Walk(refs, strings, this.frozen, nodes);
    const section = <T extends object>(items: readonly T[], body: (x: T) => string): string =>
      items.map((x) => `${refs.get(x) ?? '?'}=${body(x)}`).sort().join('\n');
    return [
      section(nodes, (n) => `${w.entity(n)} children ${w.of(n.children)} parents ${w.of(n.parents)}`),
      section(edges, (e) => `${w.of(e.parent.kind === 'node' ? e.parent.node : e.parent.kind === 'backend' ? e.parent.backend : e.parent.job)} -> ${w.of(e.child)} ${w.entity(e)}`),
      section(env.graph.backends, (b) => `${w.entity(b)} ${w.of(b.edges)}`),
      section(env.graph.jobs, (j) => `${w.entity(j)} ${w.of(j.edges)}`),
      w.entity(env, new Set(['graph'])),
    ].join('\n--\n');
  }
}

/** One generic serialization pass: graph entities by reference, strings that are node names by canonical name. */
class Walk {
  constructor(
    private readonly refs: ReadonlyMap<object, string>,
    private readonly strings: ReadonlyMap<string, string>,
    private readonly frozen: WeakMap<object, string>,
    private readonly nodes: readonly BlockNode[],
  ) {}

  /** An entity's own fields (not its identity or its links, which sections give). */
  entity(o: object, skip: ReadonlySet<string> = ENTITY_SKIP): string {
    return this.fields(o, 0, skip);
  }

  of(v: unknown, depth = 0): string {
    if (v === undefined) return 'u';
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (typeof v === 'string') return JSON.stringify(this.strings.get(v) ?? v);
    if (typeof v !== 'object') return typeof v;
    const ref = this.refs.get(v);
    if (ref !== undefined) return `@${ref}`;
    if (depth > MAX_DEPTH) return '…';
    const cached = this.frozen.get(v);
    if (cached !== undefined) return cached;
    const text = this.compound(v, depth);
    // only a deeply immutable value may be cached: frozen, and nothing in it refers to the graph
    if (Object.isFrozen(v) && !text.includes('@')) this.frozen.set(v, text);
    return text;
  }

  private compound(v: object, depth: number): string {
    if (Array.isArray(v)) return `[${v.map((x: unknown) => this.of(x, depth + 1)).join(',')}]`;
    if (v instanceof Map) return `M[${[...v].map(([k, x]) => `${this.of(k, depth + 1)}:${this.of(x, depth + 1)}`).join(',')}]`;
    if (v instanceof Set) return `S[${[...v].map((x: unknown) => this.of(x, depth + 1)).sort().join(',')}]`;
    // weak collections cannot be listed, but the nodes they may hold can be asked about
    if (v instanceof WeakSet) return `WS[${this.nodes.filter((n) => v.has(n)).map((n) => this.of(n)).sort().join(',')}]`;
    if (v instanceof WeakMap) return `WM[${this.nodes.filter((n) => v.has(n)).map((n) => `${this.of(n)}:${this.of(v.get(n), depth + 1)}`).sort().join(',')}]`;
    return this.fields(v, depth, new Set());
  }

  private fields(o: object, depth: number, skip: ReadonlySet<string>): string {
    const parts: string[] = [];
    for (const k of Object.keys(o).sort()) {
      if (skip.has(k)) continue;
      const x: unknown = Reflect.get(o, k);
      if (x === undefined || typeof x === 'function') continue;
      parts.push(`${k}:${this.of(x, depth + 1)}`);
    }
    return `{${parts.join(',')}}`;
  }
}
