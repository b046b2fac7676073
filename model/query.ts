// The model's graph in QEMU's reply shapes (x-debug-query-block-graph, query-named-block-nodes).
import type { NamedNodeInfo, RawBlockGraph, RawGraphEdge, RawGraphNode } from '../qmp/normalized-graph.ts';
import type { PermPair } from '../qmp/perm-set.ts';
import { permsOf } from './perms.ts';
import type { ModelState } from './state.ts';

/** Backends newest first, then jobs newest first, then nodes: the order bdrv_get_xdbg_block_graph walks them. */
export function blockGraph(s: ModelState): RawBlockGraph {
  const perms = permsOf(s);
  const listed: (readonly [string, Omit<RawGraphNode, 'id'>])[] = [
    ...s.bbs.map((b) => [`bb:${b.id}`, { type: 'block-backend', name: '' }] as const),
    ...[...s.jobs].reverse().map((j) => [`job:${j.id}`, { type: 'block-job', name: j.id }] as const),
    ...s.nodes.map((n) => [`node:${n.name}`, { type: 'block-driver', name: n.name }] as const),
  ];
  const id = new Map(listed.map(([key], i) => [key, i + 1]));
  const edge = (parent: string, child: string, name: string, p: PermPair): RawGraphEdge =>
    ({ parent: id.get(parent) ?? 0, child: id.get(`node:${child}`) ?? 0, name, perm: p.perm, 'shared-perm': p.shared });
  const edges = [
    ...s.bbs.map((b) => edge(`bb:${b.id}`, b.child, 'root', b)),
    ...s.jobEdges.map((e) => edge(`job:${e.job}`, e.child, e.name, e)),
    ...s.edges.map((e) => edge(`node:${e.parent}`, e.child, e.name, perms.edge(e))),
  ];
  return { nodes: listed.map(([, n], i) => ({ id: i + 1, ...n })), edges };
}

export const namedNodes = (s: ModelState): NamedNodeInfo[] => s.nodes.map((n) => ({ 'node-name': n.name, drv: n.driver, ro: n.readOnly }));
