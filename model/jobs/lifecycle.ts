// Job statuses (job.c), advanced at once to the next stable one: ready, standby, pending, concluded, or gone; the hooks
// of each job type (job.ts) say what it does on the way. Every job's end releases its BlockBackends and reopens
// read-only what it made writable.
import type { Draft } from '../draft.ts';
import { dropOrphans, removeBackends } from '../edit.ts';
import { findNode, reaches } from '../graph.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ignored, unjudged, type Result } from '../result.ts';
import type { Job, JobStatus, ModelState } from '../state.ts';
import { COMMIT } from './commit.ts';
import type { JobType } from './job.ts';
import { removeJobEdges } from './job-end.ts';
import { MIRROR } from './mirror.ts';
import { STREAM } from './stream.ts';

const TYPES: Readonly<Record<Job['type'], JobType>> = { commit: COMMIT, stream: STREAM, mirror: MIRROR };

/** Drains that outlive a command are not followed: a completed mirror waiting for job-finalize keeps its source and
 * every node above it drained, and QEMU holds jobs with an edge there at their pause point. */
function heldByDrain(s: ModelState, job: Job): boolean {
  const pending = s.jobs.filter((j) => j.detail.kind === 'mirror' && j.status === 'pending').map((j) => j.filter);
  const drained = s.edges.filter((e) => e.name === 'backing' && pending.includes(e.parent)).map((e) => e.child);
  return s.jobEdges.some((e) => e.job === job.id && drained.some((n) => reaches(s, e.child, n)));
}
export const drainHolds = (s: ModelState): boolean => s.jobs.some((j) => (j.status === 'ready' || j.status === 'standby') && heldByDrain(s, j));

/** job_start: a job type that `waits` runs until ready (or fails); the others finish at once (or fail). */
export function runJob(d: Draft, job: Job): Result {
  if (heldByDrain(d, job)) return unjudged('drain');
  const r = TYPES[job.type].run(d, job, job.detail);
  if (!r.ok || r.value !== undefined) return r.ok ? conclude(d, job, r.value) : r;
  if (TYPES[job.type].waits !== true) return completed(d, job);
  job.status = 'ready';
  return OK;
}

function completed(d: Draft, job: Job): Result {
  job.status = 'pending';
  return job.autoFinalize ? finalize(d, job) : OK;
}

function finalize(d: Draft, job: Job): Result {
  const r = TYPES[job.type].prepare(d, job, job.detail);
  return r.ok ? conclude(d, job, r.value) : r;
}

function conclude(d: Draft, job: Job, error: string | undefined): Result {
  const aborted = error === undefined ? OK : TYPES[job.type].abort(d, job, job.detail);
  if (TYPES[job.type].releasesEdges === true) removeJobEdges(d, job);
  removeBackends(d, job.bbs);
  const back = job.restoreRO !== undefined && findNode(d, job.restoreRO) ? ignored(setReadOnly(d, job.restoreRO, true)) : OK;
  job.status = 'concluded';
  if (job.autoDismiss) dismiss(d, job);
  dropOrphans(d);
  return aborted.ok ? back : aborted;
}

/** The job and its remaining edges go; a filter nobody holds goes with them. */
function dismiss(d: Draft, job: Job): Result {
  removeJobEdges(d, job);
  d.jobs = d.jobs.filter((j) => j !== job);
  dropOrphans(d);
  return OK;
}

export type Verb = 'complete' | 'cancel' | 'finalize' | 'dismiss' | 'pause' | 'resume' | 'set-speed';

/** job.c's verb table for the statuses the model's jobs rest in (only a mirror rests ready or in standby). */
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
  if (verb === 'pause' && job.paused) return fail('job-state', 'Job is already paused');
  const [detail, standby, completing] = [job.detail, job.status === 'standby', job.completionPending];
  // a paused ready job waits in standby; cancelled or resumed, it leaves its pause point
  if (verb === 'pause') [job.paused, job.status] = [true, job.status === 'ready' ? 'standby' : job.status];
  if (verb === 'cancel' || verb === 'resume') [job.paused, job.status] = [false, standby ? 'ready' : job.status];
  switch (verb) {
    case 'complete':
      if (detail.kind !== 'mirror') return fail('job-state', `The active block job '${job.id}' cannot be completed`);
      if (detail.replaces !== undefined && !findNode(d, detail.replaces)) return fail('not-found', `Node name '${detail.replaces}' not found`);
      [detail.shouldComplete, job.completionPending] = [true, standby];
      return standby ? OK : completed(d, job);
    case 'cancel':
      // a ready mirror cancelled without force completes without replacing
      return !force && job.status === 'ready' ? completed(d, job) : conclude(d, job, 'Operation canceled');
    case 'resume':
      job.completionPending = false;
      return standby && completing ? completed(d, job) : OK;
    case 'finalize':
      return finalize(d, job);
    case 'dismiss':
      return dismiss(d, job);
    case 'pause':
    case 'set-speed':
      return OK;
  }
}
