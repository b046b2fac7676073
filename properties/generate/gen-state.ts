// Questions generators ask about the current graph: which named nodes exist, which are free, fresh names.
import fc from 'fast-check';
import type { SnapEdge, SnapNode } from '../snapshot.ts';
import { mostly, pick } from './arb.ts';
import type { GenState } from './command-kind.ts';

/** Node names come from a small pool so commands often meet the nodes earlier ones made. */
export const NODE_NAMES: readonly string[] = Array.from({ length: 24 }, (_, i) => `n${i}`);
export const EXPORT_IDS: readonly string[] = ['e0', 'e1', 'e2'];
export const GROUP_IDS: readonly string[] = ['g0', 'g1'];

/** Nodes with user-given names: automatic names differ between the impl and QEMU, so never use them. */
export function namedNodes(s: GenState): SnapNode[] {
  return s.snapshot.nodes.filter((n) => !n.autoNamed);
}

/** Nodes a command may name here: the named ones, and the automatically named ones where that is safe (GenState.autoNames). */
export function nameableNodes(s: GenState): SnapNode[] {
  return s.autoNames === true ? [...s.snapshot.nodes] : namedNodes(s);
}

export function parentEdgesOf(s: GenState, n: SnapNode): SnapEdge[] {
  return s.snapshot.edges.filter((e) => e.childId === n.id);
}

export function childEdgesOf(s: GenState, n: SnapNode): SnapEdge[] {
  return s.snapshot.edges.filter((e) => e.parent.kind === 'node' && e.parent.id === n.id);
}

export function hasNamedNodes(s: GenState): boolean {
  return s.snapshot.nodes.some((n) => !n.autoNamed);
}

/** Mostly a name nobody uses yet, now and then a taken one (duplicate-name errors). */
export function freshName(s: GenState): fc.Arbitrary<string> {
  const taken = new Set(s.snapshot.nodes.map((n) => n.name));
  const free = NODE_NAMES.filter((n) => !taken.has(n));
  const all = pick(NODE_NAMES);
  return free.length === 0 ? all : mostly(pick(free), all, 15);
}

/**
 * A named node, preferring those without parents (attaching to busy nodes mostly conflicts), but now and then
 * one that has parents already: shared subgraphs are where perms, replacement and loops get interesting.
 */
export function someNode(s: GenState, filter: (n: SnapNode) => boolean = () => true): fc.Arbitrary<SnapNode> | undefined {
  const nodes = namedNodes(s).filter(filter);
  if (nodes.length === 0) return undefined;
  // one pass: asked for most commands, and each node's parents are a scan of every edge
  const free: SnapNode[] = [];
  const busy: SnapNode[] = [];
  for (const n of nodes) (s.snapshot.edges.some((e) => e.childId === n.id) ? busy : free).push(n);
  return fc.oneof(
    { weight: free.length > 0 ? 3 : 0, arbitrary: pick(free.length > 0 ? free : nodes) },
    { weight: busy.length > 0 ? 2 : 0, arbitrary: pick(busy.length > 0 ? busy : nodes) },
    { weight: 1, arbitrary: pick(nodes) },
  );
}

/** Mostly an id from `pool` not in `used`, now and then a used one (duplicate-id errors). */
export function freshId(pool: readonly string[], used: readonly string[]): fc.Arbitrary<string> {
  const free = pool.filter((x) => !used.includes(x));
  return free.length === 0 ? pick(pool) : mostly(pick(free), pick(pool), 10);
}

/** Images no node has opened yet come first: opening one twice mostly fails on its lock. */
export function unopenedImages(s: GenState, format?: 'qcow2' | 'raw'): string[] {
  const open = new Set(s.snapshot.nodes.map((n) => n.filename));
  return imageNames(s, format).filter((f) => !open.has(f));
}

/** How many backing files an image's header chain has below it (0 for a base). */
export function headerDepth(s: GenState, filename: string): number {
  let depth = 0;
  for (let f = s.images.find((i) => i.filename === filename); f?.backing !== undefined && depth < 8; depth++) {
    const below: string = f.backing;
    f = s.images.find((i) => i.filename === below);
  }
  return depth;
}

export function imageNames(s: GenState, format?: 'qcow2' | 'raw'): string[] {
  return s.images.filter((i) => format === undefined || i.format === format).map((i) => i.filename);
}

export const JOB_IDS: readonly string[] = ['j0', 'j1', 'j2'];

/** The nodes below `n` along filter and COW children (its backing chain), nearest first. */
export function chainBelow(s: GenState, n: SnapNode): SnapNode[] {
  const out: SnapNode[] = [];
  let cur: SnapNode | undefined = n;
  while (cur && out.length < 16) {
    const id: number = cur.id;
    const next = s.snapshot.edges.find((e) => e.parent.kind === 'node' && e.parent.id === id && (e.role.kind === 'cow' || (cur?.isFilter === true && e.role.kind === 'filtered')));
    cur = next ? s.snapshot.nodes.find((m) => m.id === next.childId) : undefined;
    if (cur) out.push(cur);
  }
  return out;
}

/** Every node below `n` along any child edge, nearest first, without `n` itself. */
export function subgraphBelow(s: GenState, n: SnapNode): SnapNode[] {
  const seen = new Set<number>([n.id]);
  const out: SnapNode[] = [];
  for (let i = -1; i < out.length; i++) {
    const cur = i < 0 ? n : out[i];
    for (const e of cur ? childEdgesOf(s, cur) : []) {
      if (seen.has(e.childId)) continue;
      seen.add(e.childId);
      const child = s.snapshot.nodes.find((m) => m.id === e.childId);
      if (child) out.push(child);
    }
  }
  return out;
}

/** Nodes whose parents are all BlockBackends (qmp_get_root_bs): what commit and mirror accept as `device`. */
export function rootNodes(s: GenState): SnapNode[] {
  return namedNodes(s).filter((n) => parentEdgesOf(s, n).every((e) => e.parent.kind === 'backend'));
}
