// Facts about a job's filter node that the perm rules need and QMP does not state, read from the job's own edges.
import type { MirrorTopState } from '../../impl/drivers/driver-state.ts';
import type { GraphSnapshot, SnapEdge, SnapNode } from '../snapshot.ts';

type Graph = Pick<GraphSnapshot, 'nodes' | 'edges'>;

/** bdrv_chain_contains: `target` is `from` or below it along COW and filtered children. */
function chainContains(g: Graph, from: string, target: string): boolean {
  const seen = new Set<string>();
  for (let cur: string | undefined = from; cur !== undefined && !seen.has(cur); ) {
    if (cur === target) return true;
    seen.add(cur);
    const here: string = cur;
    const next: SnapEdge | undefined = g.edges.find((e) => e.parent.kind === 'node' && e.parent.name === here && (e.role.kind === 'cow' || e.role.kind === 'filtered'));
    cur = next?.child;
  }
  return false;
}

/**
 * mirror_top's mode (model/perm-rules.ts): `isCommit` when the job's target is in the chain below the filter
 * (mirror_start_job's target_is_backing: an active commit, or a mirror into its own backing chain). A stopping job's
 * `stop` lasts only inside mirror_exit_common, so a settled build never shows it.
 */
export function mirrorTopState(mt: SnapNode, g: Graph): MirrorTopState {
  const job = g.edges.find((e) => e.parent.kind === 'job' && e.child === mt.name)?.parent;
  const target = job ? g.edges.find((e) => e.parent.kind === 'job' && e.parent.name === job.name && e.name === 'target')?.child : undefined;
  const below = g.edges.find((e) => e.parent.kind === 'node' && e.parent.name === mt.name && e.role.kind === 'filtered')?.child;
  return { driver: 'mirror_top', stop: false, loosePerms: false, isCommit: target !== undefined && below !== undefined && chainContains(g, below, target) };
}
