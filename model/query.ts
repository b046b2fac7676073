// The model's graph in QEMU's reply shapes (x-debug-query-block-graph, query-named-block-nodes).
import type { NamedNodeInfo, RawBlockGraph, RawGraphEdge, RawGraphNode } from '../qmp/normalized-graph.ts';
import { permsOf } from './perms.ts';
import type { ModelState } from './state.ts';

/** Backends newest first, then jobs newest first, then nodes: the order bdrv_get_xdbg_block_graph walks them. */
export function blockGraph(s: ModelState): RawBlockGraph {
  const perms = permsOf(s);
  const nodes: RawGraphNode[] = [];
  const id = new Map<string, number>();
  const add = (key: string, type: RawGraphNode['type'], name: string): void => {
    id.set(key, nodes.length + 1);
    nodes.push({ id: nodes.length + 1, type, name });
  };
  for (const b of s.bbs) add(`bb:${b.id}`, 'block-backend', '');
  for (const j of [...s.jobs].reverse()) add(`job:${j.id}`, 'block-job', j.id);
  for (const n of s.nodes) add(`node:${n.name}`, 'block-driver', n.name);
  const edge = (parent: string, child: string, name: string, perm: readonly string[], shared: readonly string[]): RawGraphEdge => ({
    parent: id.get(parent) ?? 0,
    child: id.get(`node:${child}`) ?? 0,
    name,
    perm,
    'shared-perm': shared,
  });
  const edges = [
    ...s.bbs.map((b) => edge(`bb:${b.id}`, b.child, 'root', b.perm, b.shared)),
    ...s.jobEdges.map((e) => edge(`job:${e.job}`, e.child, e.name, e.perm, e.shared)),
    ...s.edges.map((e) => {
      const p = perms.edge(e);
      return edge(`node:${e.parent}`, e.child, e.name, p.perm, p.shared);
    }),
  ];
  return { nodes, edges };
}

export function namedNodes(s: ModelState): NamedNodeInfo[] {
  return s.nodes.map((n) => ({ 'node-name': n.name, drv: n.driver, ro: n.readOnly }));
}
