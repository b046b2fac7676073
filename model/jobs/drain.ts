// Drains that outlive a command, which the model does not follow: a completed mirror waiting for job-finalize keeps
// its source and everything above it drained, and QEMU holds every job with an edge there at its pause point.
import type { Job, ModelState } from '../state.ts';

/** The source below each completed mirror's filter, and every node above it. */
function drainedNodes(s: ModelState): Set<string> {
  const pending = s.jobs.filter((j) => j.detail.kind === 'mirror' && j.status === 'pending').map((j) => j.filter);
  const todo = s.edges.filter((e) => pending.includes(e.parent) && e.name === 'backing').map((e) => e.child);
  const out = new Set<string>();
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (out.has(n)) continue;
    out.add(n);
    todo.push(...s.edges.filter((e) => e.child === n).map((e) => e.parent));
  }
  return out;
}

/** Would a drain hold `job` (which is about to run, or rests ready)? */
export function heldByDrain(s: ModelState, job: Job): boolean {
  const drained = drainedNodes(s);
  return drained.size > 0 && s.jobEdges.some((e) => e.job === job.id && drained.has(e.child));
}

/** Some job that would otherwise move on rests where a drain holds it in QEMU. */
export const drainHolds = (s: ModelState): boolean => s.jobs.some((j) => (j.status === 'ready' || j.status === 'standby') && heldByDrain(s, j));
