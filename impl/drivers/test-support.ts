// Shared helpers for the driver rule tests: run QMP on a BlockLayer and read edges back.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockLayer } from '../block-layer.ts';
import type { BlockNode } from '../core/graph.ts';
import { PERMS, permSet } from '../../qmp/perm-set.ts';
import { permsForQmp } from '../core/perm.ts';
import type { PermSet } from '../../qmp/perm-set.ts';

/** All 16 perm sets, for exhaustive rule checks. */
export const SUBSETS: PermSet[] = Array.from({ length: 16 }, (_, m) => permSet(...PERMS.filter((_p, i) => (m >> i) & 1)));

export function run(l: BlockLayer, name: string, args: JsonObject): void {
  const out = l.execute(name, args);
  if (out.kind !== 'reply' || !out.result.ok) throw new Error(`${name} failed: ${JSON.stringify(out)}`);
}

export function node(l: BlockLayer, name: string): BlockNode {
  const n = l.env.graph.nodes.get(name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

/** The edge `parent -name->` as x-debug-query-block-graph reports it. */
export function queriedEdge(l: BlockLayer, parent: string, name: string): { perm: unknown; shared: unknown } {
  const out = l.execute('x-debug-query-block-graph');
  if (out.kind !== 'reply' || !out.result.ok) throw new Error('query failed');
  const g = out.result.value as { nodes: { id: number; name: string }[]; edges: { parent: number; name: string; perm: unknown; 'shared-perm': unknown }[] };
  const id = g.nodes.find((n) => n.name === parent)?.id;
  const e = g.edges.find((x) => x.parent === id && x.name === name);
  if (!e) throw new Error(`no edge ${parent} -${name}->`);
  return { perm: e.perm, shared: e['shared-perm'] };
}

export const qmp = (p: PermSet, s: PermSet): { perm: unknown; shared: unknown } => ({ perm: permsForQmp(p), shared: permsForQmp(s) });
