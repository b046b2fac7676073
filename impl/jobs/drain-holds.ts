// Drained sections that outlive a command: a mirror that completed keeps its source drained until it is finalized
// (mirror_run's bdrv_drained_begin, ended in mirror_exit_common). The drain quiesces every node above the source
// (child_of_bds passes it to the parent node) and pauses every job with an edge on one (child_job_drained_begin).
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import type { BlockJob } from './job.ts';

export function drainedNodes(env: BlockEnv): Set<BlockNode> {
  const out = new Set<BlockNode>();
  const up = (n: BlockNode): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const e of n.parents) if (e.parent.kind === 'node') up(e.parent.node);
  };
  for (const j of env.jobs.values()) {
    const src = j.impl.drainedSource?.(j);
    if (src) up(src);
  }
  return out;
}

/** The job's pause_count is raised by a drain: one of its edges points into a drained node. */
export function drainPaused(env: BlockEnv, job: BlockJob, drained: Set<BlockNode> = drainedNodes(env)): boolean {
  return job.parent.edges.some((e) => drained.has(e.child));
}

/** Whether the job stops at its pause points: a cancelled job no longer does (job_pause_point). */
export function heldByDrain(env: BlockEnv, job: BlockJob, drained?: Set<BlockNode>): boolean {
  return !job.cancelled && drainPaused(env, job, drained);
}
