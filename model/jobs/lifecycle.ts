// Job statuses (job.c), advanced at once to the next stable one: paused, ready, standby, pending, concluded, or gone.
import { dropOrphans } from '../edit.ts';
import { findNode } from '../graph.ts';
import { OK, fail } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobStatus, ModelState } from '../state.ts';
import { abortCommit, cleanCommit, prepareCommit, runCommit } from './commit.ts';
import { heldByDrain } from './drain.ts';
import { removeJobEdges } from './job.ts';
import { exitMirror, runMirror } from './mirror.ts';
import { cleanStream, prepareStream, runStream } from './stream.ts';

/** A job type's hooks: prepare may fail (an error text), abort and clean may not. */
interface Hooks {
  readonly prepare: (d: ModelState, j: Job) => string | undefined;
  readonly abort: (d: ModelState, j: Job) => void;
  readonly clean: (d: ModelState, j: Job) => void;
}

const HOOKS: Readonly<Record<Job['kind'], Hooks>> = {
  commit: { prepare: prepareCommit, abort: abortCommit, clean: cleanCommit },
  stream: { prepare: prepareStream, abort: () => undefined, clean: cleanStream },
  mirror: { prepare: (d, j) => exitMirror(d, j, false), abort: (d, j) => void exitMirror(d, j, true), clean: () => undefined },
};

const CANCELED = 'Operation canceled';

/** A job started under a drain waits at its first pause point. */
export function startJob(d: ModelState, job: Job): void {
  if (heldByDrain(d, job)) job.status = 'paused';
  else runJob(d, job);
}

/** After every command: drains now reaching a job hold it, drains that ended release it (and a completion it got). */
export function settleDrains(d: ModelState): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const job of [...d.jobs]) {
      const held = heldByDrain(d, job);
      if (held && job.status === 'ready') job.status = 'standby';
      else if (!held && !job.paused && job.status === 'paused') runJob(d, job);
      else if (!held && !job.paused && job.status === 'standby') {
        job.status = 'ready';
        if (job.completionPending) {
          job.completionPending = false;
          completed(d, job);
        }
      } else continue;
      changed = true;
    }
  }
}

/** job_start: mirror-type jobs run until ready (or fail on sizes or a read); the others finish at once (or fail on a
 * read, or a base that cannot grow). */
export function runJob(d: ModelState, job: Job): void {
  const err = job.kind === 'mirror' ? runMirror(d, job) : job.kind === 'stream' ? runStream(d, job) : runCommit(d, job);
  if (job.kind !== 'mirror' && err === undefined) return completed(d, job);
  if (err !== undefined) return conclude(d, job, err);
  job.status = 'ready';
}

function completed(d: ModelState, job: Job): void {
  job.status = 'pending';
  if (job.autoFinalize) finalize(d, job);
}

function finalize(d: ModelState, job: Job): void {
  conclude(d, job, HOOKS[job.kind].prepare(d, job));
}

function conclude(d: ModelState, job: Job, error: string | undefined): void {
  if (error !== undefined) {
    job.error = error;
    HOOKS[job.kind].abort(d, job);
  }
  HOOKS[job.kind].clean(d, job);
  job.status = 'concluded';
  if (job.autoDismiss) dismiss(d, job);
  dropOrphans(d);
}

/** The job and its remaining edges go; a filter nobody holds goes with them. */
function dismiss(d: ModelState, job: Job): void {
  removeJobEdges(d, job);
  d.jobs = d.jobs.filter((j) => j !== job);
  dropOrphans(d);
}

export type Verb = 'complete' | 'cancel' | 'finalize' | 'dismiss' | 'pause' | 'resume';

/** job.c's verb table for the statuses the model's jobs can rest in. */
const ACCEPTS: Readonly<Record<Verb, readonly JobStatus[]>> = {
  complete: ['ready', 'standby'],
  cancel: ['paused', 'ready', 'standby', 'pending'],
  finalize: ['pending'],
  dismiss: ['concluded'],
  pause: ['paused', 'ready', 'standby'],
  resume: ['paused', 'ready', 'standby'],
};

export function jobVerb(d: ModelState, job: Job, verb: Verb, force: boolean): Result {
  if (verb === 'resume' && !job.paused) return fail('job-state', "Can't resume a job that was not paused");
  if (!ACCEPTS[verb].includes(job.status)) return fail('job-state', `Job '${job.id}' in state '${job.status}' cannot accept command verb '${verb}'`);
  switch (verb) {
    case 'complete':
      if (job.kind !== 'mirror') return fail('job-state', `The active block job '${job.id}' cannot be completed`);
      if (job.replaces !== undefined && !findNode(d, job.replaces)) return fail('not-found', `Node name '${job.replaces}' not found`);
      job.shouldComplete = true;
      if (job.status === 'standby') job.completionPending = true;
      else completed(d, job);
      return OK;
    case 'cancel': {
      // a cancelled job leaves its pause point, whether job-pause or a drain put it there
      job.paused = false;
      if (job.status === 'standby') job.status = 'ready';
      // a ready mirror cancelled without force completes without replacing anything
      if (job.kind === 'mirror' && !force && job.status === 'ready') completed(d, job);
      else conclude(d, job, CANCELED);
      return OK;
    }
    case 'finalize':
      finalize(d, job);
      return OK;
    case 'dismiss':
      dismiss(d, job);
      return OK;
    case 'pause':
      if (job.paused) return fail('job-state', 'Job is already paused');
      job.paused = true;
      if (job.status === 'ready') job.status = 'standby';
      return OK;
    case 'resume':
      // settleDrains lets it (and a completion asked for meanwhile) go on unless a drain still holds it
      job.paused = false;
      return OK;
  }
}
