// Job statuses (job.c), advanced at once to the next stable one: ready, standby, pending, concluded, or gone. A job
// type is a record of hooks: run (to ready or done), prepare (at finalize), abort and clean.
import type { Draft } from '../draft.ts';
import { dropOrphans } from '../edit.ts';
import { findNode } from '../graph.ts';
import { OK, fail, ok, seq, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobStatus } from '../state.ts';
import { abortCommit, cleanCommit, prepareCommit, runCommit } from './commit.ts';
import { heldByDrain } from './drain.ts';
import { removeJobEdges } from './job.ts';
import { exitMirror, runMirror } from './mirror.ts';
import { cleanStream, prepareStream, runStream } from './stream.ts';

/** `run` and `prepare` give the error the job fails with, if it does; abort and clean cannot fail the job. */
interface Hooks {
  readonly run: (d: Draft, j: Job) => Result<string | undefined>;
  readonly prepare: (d: Draft, j: Job) => Result<string | undefined>;
  readonly abort: (d: Draft, j: Job) => Result;
  readonly clean: (d: Draft, j: Job) => Result;
}

const HOOKS: Readonly<Record<Job['type'], Hooks>> = {
  commit: { run: runCommit, prepare: prepareCommit, abort: abortCommit, clean: cleanCommit },
  stream: { run: runStream, prepare: prepareStream, abort: () => OK, clean: cleanStream },
  mirror: { run: runMirror, prepare: (d, j) => exitMirror(d, j, false), abort: (d, j) => seq(() => exitMirror(d, j, true)), clean: () => OK },
};

const CANCELED = 'Operation canceled';

/** job_start: mirror-type jobs run until ready (or fail); the others finish at once (or fail). */
export function runJob(d: Draft, job: Job): Result {
  // QEMU would hold it at its first pause point until a drain ends
  if (heldByDrain(d, job)) return unjudged('drain');
  const r = HOOKS[job.type].run(d, job);
  if (!r.ok) return r;
  if (r.value !== undefined) return conclude(d, job, r.value);
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
  job.failed = error !== undefined;
  const aborted = error === undefined ? OK : HOOKS[job.type].abort(d, job);
  if (!aborted.ok) return aborted;
  const cleaned = HOOKS[job.type].clean(d, job);
  if (!cleaned.ok) return cleaned;
  job.status = 'concluded';
  if (job.autoDismiss) dismiss(d, job);
  dropOrphans(d);
  return OK;
}

/** The job and its remaining edges go; a filter nobody holds goes with them. */
function dismiss(d: Draft, job: Job): void {
  removeJobEdges(d, job);
  d.jobs = d.jobs.filter((j) => j !== job);
  dropOrphans(d);
}

export type Verb = 'complete' | 'cancel' | 'finalize' | 'dismiss' | 'pause' | 'resume';

/** job.c's verb table for the statuses the model's jobs rest in. */
const ACCEPTS: Readonly<Record<Verb, readonly JobStatus[]>> = {
  complete: ['ready', 'standby'],
  cancel: ['ready', 'standby', 'pending'],
  finalize: ['pending'],
  dismiss: ['concluded'],
  pause: ['ready', 'standby'],
  resume: ['ready', 'standby'],
};

export function jobVerb(d: Draft, job: Job, verb: Verb, force: boolean): Result {
  if (verb === 'resume' && !job.paused) return fail('job-state', "Can't resume a job that was not paused");
  if (!ACCEPTS[verb].includes(job.status)) return fail('job-state', `Job '${job.id}' in state '${job.status}' cannot accept command verb '${verb}'`);
  const detail = job.detail;
  switch (verb) {
    case 'complete':
      if (detail.kind !== 'mirror') return fail('job-state', `The active block job '${job.id}' cannot be completed`);
      if (detail.replaces !== undefined && !findNode(d, detail.replaces)) return fail('not-found', `Node name '${detail.replaces}' not found`);
      detail.shouldComplete = true;
      if (job.status !== 'standby') return completed(d, job);
      job.completionPending = true;
      return OK;
    case 'cancel':
      // a cancelled job leaves its pause point; a ready mirror cancelled without force completes without replacing
      job.paused = false;
      if (job.status === 'standby') job.status = 'ready';
      return job.type === 'mirror' && !force && job.status === 'ready' ? completed(d, job) : conclude(d, job, CANCELED);
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
    case 'resume':
      job.paused = false;
      if (job.status !== 'standby') return OK;
      job.status = 'ready';
      if (!job.completionPending) return OK;
      job.completionPending = false;
      return completed(d, job);
  }
}

/** block-job-set-speed: the verb of a job that still copies; a rate limit is not followed (no I/O). */
export function setSpeed(d: Draft, id: string, speed: number): Result {
  const job = jobNamed(d, 'block-job', id);
  if (!job.ok) return job;
  if (job.value.status !== 'ready' && job.value.status !== 'standby') return fail('job-state', `Job '${id}' in state '${job.value.status}' cannot accept command verb 'set-speed'`);
  return speed < 0 ? fail('invalid-param', "Parameter 'speed' expects a non-negative value") : OK;
}

/** The job a verb names: `id` for job-*, and for block-job-finalize/dismiss; `device` for the other block-job-*. */
export function jobNamed(d: Draft, family: 'job' | 'block-job', id: string): Result<Job> {
  const job = d.jobs.find((j) => j.id === id);
  return job ? ok(job) : fail('not-found', family === 'job' ? 'Job not found' : `Block job '${id}' not found`);
}
