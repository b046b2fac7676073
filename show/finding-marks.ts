// Which nodes and edges of a step's graph a finding names: read from its message (impl names such as `n12` or
// `#block003`, or canonical names such as `top/file`) and, for a crash, from the arguments of the command that died.
import type { JsonValue, QmpCommand } from '../qmp/types.ts';
import type { StepGraph } from './step-trace.ts';

export interface Marks {
  /** Canonical node names. */
  readonly nodes: ReadonlySet<string>;
  /** `parent\u0000role\u0000child` of canonical names. */
  readonly edges: ReadonlySet<string>;
}

export const NO_MARKS: Marks = { nodes: new Set(), edges: new Set() };

export const edgeKey = (parent: string, role: string, child: string): string => `${parent}\u0000${role}\u0000${child}`;

/** Canonical name for a name the message uses: a canonical name itself, or a node-name of the raw graph. */
function canonicalOf(g: StepGraph, name: string): string | undefined {
  if (g.normalized.nodes.some((n) => n.name === name)) return name;
  const raw = g.raw.nodes.find((n) => n.name === name && n.name !== '');
  return raw === undefined ? undefined : g.canonical.get(raw.id);
}

/** Names the message's shapes put in node position: quoted, `node X`, edges, cycles, graph-diff lines. */
function nodeNamesIn(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/'([^'\n]+)'/g)) out.push(m[1] ?? '');
  for (const m of message.matchAll(/(?:^|[\s;:])(?:changed node|node (?:changed|added|removed):) (\S+?)[:\s(]/g)) out.push(m[1] ?? '');
  for (const m of message.matchAll(/(\S+) -[^\s>]+-> (\S+)/g)) out.push(m[1] ?? '', (m[2] ?? '').replace(/:$/, ''));
  const cycle = /cycle: (.+)$/m.exec(message);
  if (cycle) out.push(...(cycle[1] ?? '').split(' -> '));
  return out.filter((s) => s !== '');
}

function edgesIn(message: string): (readonly [string, string, string])[] {
  return [...message.matchAll(/(\S+) -([^\s>]+)-> (\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '', (m[3] ?? '').replace(/:$/, '')] as const);
}

/** What the finding's message names in this graph; names the graph does not have are left out. */
export function marksFromMessage(g: StepGraph, message: string): Marks {
  const nodes = new Set<string>();
  for (const n of nodeNamesIn(message)) {
    const c = canonicalOf(g, n);
    if (c !== undefined) nodes.add(c);
  }
  const edges = new Set<string>();
  for (const [p, role, c] of edgesIn(message)) {
    const parent = canonicalOf(g, p);
    const child = canonicalOf(g, c);
    if (parent !== undefined && child !== undefined && g.normalized.edges.some((e) => e.parent === parent && e.name === role && e.child === child)) {
      edges.add(edgeKey(parent, role, child));
    }
  }
  // `edge node:PARENT/ROLE:` names an edge by its parent and role (failed-command-leaves-graph-unchanged)
  for (const m of message.matchAll(/edge node:(\S+)\/([^\s/:]+):/g)) {
    const parent = canonicalOf(g, m[1] ?? '');
    for (const e of g.normalized.edges) if (e.parent === parent && e.name === m[2]) edges.add(edgeKey(e.parent, e.name, e.child));
  }
  return { nodes, edges };
}

function strings(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return (v as readonly JsonValue[]).flatMap((x) => strings(x));
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap((x) => strings(x));
  return [];
}

/** A crash names no node: mark the nodes the command that died was about, in the last graph before it. */
export function marksFromCommand(g: StepGraph, cmd: QmpCommand): Marks {
  const nodes = new Set<string>();
  for (const s of strings(cmd.arguments)) {
    const c = canonicalOf(g, s);
    if (c !== undefined) nodes.add(c);
  }
  return { nodes, edges: new Set() };
}
