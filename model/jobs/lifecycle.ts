// Job statuses (job.c), advanced at once to the next stable one: ready, standby, pending, concluded, or gone. A job
// type is a record of hooks: run (to ready or done), prepare (at finalize), abort and clean; every job's clean also
// releases its BlockBackends and reopens read-only what it made writable.
import type { Draft } from '../draft.ts';
import { dropOrphans, removeBackends } from '../edit.ts';
import { setReadOnly } from '../reopen.ts';
import { findNode } from '../graph.ts';
import { OK, fail, ignored, seq, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobStatus, ModelState } from '../state.ts';
import { abortCommit, prepareCommit, runCommit } from './commit.ts';
import { removeJobEdges } from './job.ts';
import { exitMirror, runMirror } from './mirror.ts';
import { cleanStream, prepareStream, runStream } from './stream.ts';

/** `run` and `prepare` give the error the job fails with, if it does. */
type Hooks = { readonly [k in 'run' | 'prepare']: (d: Draft, j: Job) => Result<string | undefined> } & { readonly [k in 'abort' | 'clean']: (d: Draft, j: Job) => Result };
const HOOKS: Readonly<Record<Job['type'], Hooks>> = {
  commit: { run: runCommit, prepare: prepareCommit, abort: abortCommit, clean: () => OK },
  stream: { run: runStream, prepare: prepareStream, abort: () => OK, clean: cleanStream },
  mirror: { run: runMirror, prepare: (d, j) => exitMirror(d, j, false), abort: (d, j) => seq(() => exitMirror(d, j, true)), clean: () => OK },
};

/** Drains that outlive a command are not followed: a completed mirror waiting for job-finalize keeps its source and
 * every node above it drained, and QEMU holds jobs with an edge there at their pause point. */
export function heldByDrain(s: ModelState, job: Job): boolean {
  const todo = s.jobs.filter((j) => j.detail.kind === 'mirror' && j.status === 'pending').flatMap((j) => s.edges.filter((e) => e.parent === j.filter && e.name === 'backing').map((e) => e.child));
  const drained = new Set<string>();
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (drained.has(n)) continue;
    drained.add(n);
    todo.push(...s.edges.filter((e) => e.child === n).map((e) => e.parent));
  }
  return s.jobEdges.some((e) => e.job === job.id && drained.has(e.child));
}
export const drainHolds = (s: ModelState): boolean => s.jobs.some((j) => (j.status === 'ready' || j.status === 'standby') && heldByDrain(s, j));

/** job_start: mirror-type jobs run until ready (or fail); the others finish at once (or fail). */
export function runJob(d: Draft, job: Job): Result {
  if (heldByDrain(d, job)) return unjudged('drain');
  const r = HOOKS[job.type].run(d, job);
  if (!r.ok || r.value !== undefined) return r.ok ? conclude(d, job, r.value) : r;
  if (job.type !== 'mirror') return completed(d, job);
  job.status = 'ready';
  return OK;
}

function completed(d: Draft, job: Job): Result {
  job.status = 'pending';
  return job.autoFinalize ? finalize(d, job) : OK;
}

function finalize(d: Draft, job: Job): Result {
  const r = HOOKS[job.type].prepare(d, job);
  return r.ok ? conclude(d, job, r.value) : r;
}

function conclude(d: Draft, job: Job, error: string | undefined): Result {
  const restore = (): Result => (job.restoreRO !== undefined && findNode(d, job.restoreRO) ? ignored(setReadOnly(d, job.restoreRO, true)) : OK);
  const r = seq(() => (error === undefined ? OK : HOOKS[job.type].abort(d, job)), () => HOOKS[job.type].clean(d, job));
  removeBackends(d, job.bbs);
  const back = restore();
  job.status = 'concluded';
  if (job.autoDismiss) dismiss(d, job);
  dropOrphans(d);
  return r.ok ? back : r;
}

/** The job and its remaining edges go; a filter nobody holds goes with them. */
function dismiss(d: Draft, job: Job): void {
  removeJobEdges(d, job);
  d.jobs = d.jobs.filter((j) => j !== job);
  dropOrphans(d);
}

export type Verb = 'complete' | 'cancel' | 'finalize' | 'dismiss' | 'pause' | 'resume' | 'set-speed';

/** job.c's verb table for the statuses the model's jobs rest in. */
const ACCEPTS: Readonly<Record<Verb, readonly JobStatus[]>> = {
  ...{ complete: ['ready', 'standby'], cancel: ['ready', 'standby', 'pending'], finalize: ['pending'], dismiss: ['concluded'] },
  ...{ pause: ['ready', 'standby'], resume: ['ready', 'standby'], 'set-speed': ['ready', 'standby'] },
};

/** A verb on the job `id` names; `force` cancels without completing a ready mirror; speed is not followed (no I/O). */
export function jobVerb(d: Draft, family: 'job' | 'block-job', id: string, verb: Verb, force: boolean): Result {
  const job = d.jobs.find((j) => j.id === id);
  if (!job) return fail('not-found', family === 'job' ? 'Job not found' : `Block job '${id}' not found`);
  if (verb === 'resume' && !job.paused) return fail('job-state', "Can't resume a job that was not paused");
  if (!ACCEPTS[verb].includes(job.status)) return fail('job-state', `Job '${job.id}' in state '${job.status}' cannot accept command verb '${verb}'`);
  const detail = job.detail;
  switch (verb) {
    case 'complete':
      if (detail.kind !== 'mirror') return fail('job-state', `The active block job '${job.id}' cannot be completed`);
      if (detail.replaces !== undefined && !findNode(d, detail.replaces)) return fail('not-found', `Node name '${detail.replaces}' not found`);
      detail.shouldComplete = true;
      job.completionPending = job.status === 'standby';
      return job.completionPending ? OK : completed(d, job);
    case 'cancel':
      // a cancelled job leaves its pause point; a ready mirror cancelled without force completes without replacing
      job.paused = false;
      if (job.status === 'standby') job.status = 'ready';
      return job.type === 'mirror' && !force && job.status === 'ready' ? completed(d, job) : conclude(d, job, 'Operation canceled');
    case 'finalize':
      return finalize(d, job);
    case 'dismiss':
      dismiss(d, job);
      return OK;
    case 'pause':
      if (job.paused) return fail('job-state', 'Job is already paused');
      job.paused = true;
      if (job.status === 'ready') job.status = 'standby';
      return OK;
    case 'resume': {
      const completing = job.status === 'standby' && job.completionPending;
      job.paused = job.completionPending = false;
      if (job.status === 'standby') job.status = 'ready';
      return completing ? completed(d, job) : OK;
    }
    case 'set-speed':
      return OK;
  }
}
