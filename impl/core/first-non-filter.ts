// bdrv_is_first_non_filter (removed in 5.0): is `candidate` the first non-filter below a top-level node?
import type { BlockEnv } from './block-env.ts';
import { filterBs } from './chain.ts';
import type { BlockNode } from './graph.ts';

function recurse(bs: BlockNode, candidate: BlockNode): boolean {
  if (!bs.driver.isFilter) return bs === candidate;
  const f = filterBs(bs);
  return f ? recurse(f, candidate) : false;
}

/** Top level: BlockBackend roots, then monitor-owned nodes without a BlockBackend (bdrv_next). */
export function isFirstNonFilter(env: BlockEnv, candidate: BlockNode): boolean {
  const nodes = [...env.graph.nodes.values()];
  const roots = [
    ...nodes.filter((n) => n.parents.some((e) => e.parent.kind === 'backend')),
    ...nodes.filter((n) => n.monitorOwned && !n.parents.some((e) => e.parent.kind === 'backend')),
  ];
  return roots.some((r) => recurse(r, candidate));
}
