// Drains that outlive a command: a completed mirror keeps its source drained until it is finalized; the drain
// reaches every node above the source and holds every job with an edge on one at its pause point.
import type { Job, ModelState } from '../state.ts';

/** The source below each completed mirror's filter, and every node above it. */
export function drainedNodes(d: ModelState): Set<string> {
  const out = new Set<string>();
  const todo = d.jobs.filter((j) => j.kind === 'mirror' && j.status === 'pending').flatMap((j) => d.edges.filter((e) => e.parent === j.filter && e.name === 'backing').map((e) => e.child));
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (out.has(n)) continue;
    out.add(n);
    todo.push(...d.edges.filter((e) => e.child === n).map((e) => e.parent));
  }
  return out;
}

export function heldByDrain(d: ModelState, job: Job): boolean {
  const drained = drainedNodes(d);
  return d.jobEdges.some((e) => e.job === job.id && drained.has(e.child));
}
