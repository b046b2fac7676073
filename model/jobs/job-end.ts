// The graph edits that end a block job (block_job_free, bdrv_drop_filter, bdrv_replace_node): its edges and its
// filter go, a node is replaced; a change that may fail is kept only if it succeeds.
import { checkGraph } from '../check.ts';
import { adopt, nested, type Draft } from '../draft.ts';
import { dropFilter, replaceNode } from '../edit.ts';
import { chainNext, findNode } from '../graph.ts';
import { OK, seq, type Result } from '../result.ts';
import type { Job, ModelState } from '../state.ts';

export const removeJobEdges = (d: ModelState, job: Job): void => void (d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id));

/** The job's filter goes (bdrv_drop_filter): its parents move to the node below, its link is cut, a `bottom` unfrozen. */
export function dropJobFilter(d: Draft, job: Job): Result {
  const [f, below] = [findNode(d, job.filter), chainNext(d, job.filter)];
  if (f === undefined || below === undefined) return OK;
  f.opts = Object.fromEntries(Object.entries(f.opts).filter(([k]) => k !== 'bottom'));
  return dropFilter(d, job.filter, below, true);
}

/** A change that may fail on its own, kept only if it succeeds. */
export function inNested(d: Draft, change: (t: Draft) => Result): Result {
  const t = nested(d);
  const r = change(t);
  if (r.ok) adopt(d, t);
  return r;
}

/** bdrv_replace_node then the refresh, in a nested draft: refused, it leaves the graph as it was. */
export const replaced = (d: Draft, from: string, to: string, autoSkip = true): Result =>
  inNested(d, (t) => seq(() => replaceNode(t, from, to, autoSkip), () => checkGraph(t, [to, from])));
