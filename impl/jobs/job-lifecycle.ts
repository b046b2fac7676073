// job.c's transitions, run to the next stable status at once (there is no I/O to wait for).
import type { BlockEnv } from '../core/block-env.ts';
import { drainedNodes, heldByDrain } from './drain-holds.ts';
import { ECANCELED, strerror } from './errno.ts';
import { isCancelled } from './job.ts';
import type { BlockJob, JobStatus } from './job.ts';

function transition(env: BlockEnv, job: BlockJob, status: JobStatus): void {
  const old = job.status;
  job.status = status;
  if (old !== status) env.events.emit('JOB_STATUS_CHANGE', { status, id: job.id });
}

function progressData(job: BlockJob): { type: string; device: string; len: number; offset: number; speed: number } {
  return { type: job.type, device: job.id, len: job.len, offset: job.offset, speed: job.speed };
}

/** job_start + the job coroutine's first stretch: ready (mirror) or finished. */
export function startJob(env: BlockEnv, job: BlockJob): void {
  transition(env, job, 'running');
  // created under a drain: the coroutine stops at its first pause point until the drain ends
  if (heldByDrain(env, job)) transition(env, job, 'paused');
  else runJob(env, job);
}

/** After a command: jobs a lasting drain now reaches stop at their pause point, jobs it released go on. */
export function settleDrainHolds(env: BlockEnv): void {
  for (let changed = true; changed; ) {
    changed = false;
    const drained = drainedNodes(env);
    for (const job of [...env.jobs.values()]) {
      const held = heldByDrain(env, job, drained);
      if (held && job.status === 'ready') transition(env, job, 'standby');
      else if (!held && !job.userPaused && job.status === 'paused') {
        transition(env, job, 'running');
        runJob(env, job);
      } else if (!held && !job.userPaused && job.status === 'standby') resumeJob(env, job);
      else continue;
      // a job that ran or stopped may have changed what is drained
      changed = true;
      break;
    }
  }
}

export function runJob(env: BlockEnv, job: BlockJob): void {
  const out = job.impl.run(env, job);
  if (out.kind === 'ready' && !job.cancelled) {
    transition(env, job, 'ready');
    env.events.emit('BLOCK_JOB_READY', progressData(job));
    return;
  }
  job.deferred = true;
  if (out.kind === 'failed') {
    job.ret = out.errno;
    job.error = out.error;
  }
  completed(env, job);
}

/** job_update_rc */
function updateRc(env: BlockEnv, job: BlockJob): void {
  if (!job.ret && isCancelled(job)) job.ret = ECANCELED;
  if (job.ret) {
    job.error ??= strerror(job.ret);
    transition(env, job, 'aborting');
  }
}

/** job_completed, from job_exit: a bottom half of the main loop once the job's coroutine ends, never a command. */
function completed(env: BlockEnv, job: BlockJob): void {
  const outer = env.inJobExit;
  env.inJobExit = true;
  try {
    exited(env, job);
  } finally {
    env.inJobExit = outer;
  }
}

function exited(env: BlockEnv, job: BlockJob): void {
  updateRc(env, job);
  if (job.ret) {
    finalizeSingle(env, job);
    return;
  }
  transition(env, job, 'waiting');
  transition(env, job, 'pending');
  if (!job.autoFinalize) env.events.emit('BLOCK_JOB_PENDING', { type: job.type, id: job.id });
  else finalize(env, job);
}

/** job_do_finalize: prepare, then commit or abort. */
export function finalize(env: BlockEnv, job: BlockJob): void {
  if (job.ret === 0 && job.impl.prepare) {
    job.ret = job.impl.prepare(env, job);
    updateRc(env, job);
  }
  finalizeSingle(env, job);
}

/** job_finalize_single */
function finalizeSingle(env: BlockEnv, job: BlockJob): void {
  updateRc(env, job);
  if (!job.ret) job.impl.commit?.(env, job);
  else job.impl.abort?.(env, job);
  job.impl.clean?.(env, job);
  if (isCancelled(job)) env.events.emit('BLOCK_JOB_CANCELLED', progressData(job));
  else env.events.emit('BLOCK_JOB_COMPLETED', { ...progressData(job), ...(job.ret ? { error: job.error ?? strerror(job.ret) } : {}) });
  transition(env, job, 'concluded');
  if (job.autoDismiss) dismiss(env, job);
}

/** job_do_dismiss + the final unref: the job and its remaining graph edges go away. */
export function dismiss(env: BlockEnv, job: BlockJob): void {
  transition(env, job, 'null');
  env.jobs.delete(job.id);
  job.impl.free?.(env, job);
}

/** job_cancel_locked */
export function cancelJob(env: BlockEnv, job: BlockJob, force: boolean): void {
  if (job.status === 'concluded') {
    dismiss(env, job);
    return;
  }
  const forced = job.impl.cancel ? job.impl.cancel(job, force) : true;
  if (job.userPaused) resumeJob(env, job, false);
  // a cancelled job leaves the pause point a drain holds it at
  if (job.status === 'standby') transition(env, job, 'ready');
  if (job.status === 'paused') transition(env, job, 'running');
  if (forced || !job.deferred) {
    job.cancelled = true;
    job.forceCancel ||= forced;
  }
  if (job.deferred) {
    if (isCancelled(job)) finalizeSingle(env, job);
    return;
  }
  // a running or ready job notices the request at once and leaves its loop
  job.deferred = true;
  completed(env, job);
}

/** job_complete: a ready job finishes its run with completion requested (once it is not paused). */
export function completeJob(env: BlockEnv, job: BlockJob): void {
  if (job.status === 'standby') {
    job.completionPending = true;
    return;
  }
  job.deferred = true;
  completed(env, job);
}

/** job_user_pause: only a ready job is stable here, and it pauses into standby. */
export function pauseJob(env: BlockEnv, job: BlockJob): void {
  job.userPaused = true;
  if (job.status === 'ready') transition(env, job, 'standby');
}

/** job_user_resume; `proceed` lets a completion requested while paused run now. */
export function resumeJob(env: BlockEnv, job: BlockJob, proceed = true): void {
  job.userPaused = false;
  if (job.status !== 'standby' || heldByDrain(env, job)) return;
  transition(env, job, 'ready');
  if (proceed && job.completionPending) {
    job.completionPending = false;
    completeJob(env, job);
  }
}
