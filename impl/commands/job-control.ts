// job-* and block-job-* verbs (job-qmp.c, blockdev.c), and query-jobs / query-block-jobs.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { JobCommandName } from '../../qmp/command-name.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { fail, ok, OK } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { verbAllowed } from '../jobs/job-verbs.ts';
import type { BlockJob, JobVerb } from '../jobs/job.ts';
import { drainedNodes, drainPaused } from '../jobs/drain-holds.ts';
import { cancelJob, completeJob, dismiss, finalize, pauseJob, resumeJob } from '../jobs/job-lifecycle.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, int, opt, req, str } from '../qapi/schema.ts';

function findJob(env: BlockEnv, id: string): Result<BlockJob> {
  const j = env.jobs.get(id);
  return j ? ok(j) : fail('not-found', 'Job not found');
}

function findBlockJob(env: BlockEnv, device: string): Result<BlockJob> {
  const j = env.jobs.get(device);
  return j ? ok(j) : fail('not-found', `Block job '${device}' not found`, 'DeviceNotActive');
}

function verb(job: BlockJob, v: JobVerb): Result<void> {
  const err = verbAllowed(job, v);
  return err === undefined ? OK : fail('job-state', err);
}

function complete(env: BlockEnv, job: BlockJob): Result<void> {
  const v = verb(job, 'complete');
  if (!v.ok) return v;
  if (job.cancelled || !job.impl.complete) return fail('job-state', `The active block job '${job.id}' cannot be completed`);
  const r = job.impl.complete(env, job);
  if (!r.ok) return r;
  completeJob(env, job);
  return OK;
}

function cancel(env: BlockEnv, job: BlockJob, force: boolean): Result<void> {
  const v = verb(job, 'cancel');
  if (!v.ok) return v;
  cancelJob(env, job, force);
  return OK;
}

/** qmp_block_job_cancel: a user-paused job is refused unless forced, before the verb check. */
function blockJobCancel(env: BlockEnv, job: BlockJob, force: boolean): Result<void> {
  if (job.userPaused && !force) return fail('job-state', `The block job for device '${job.id}' is currently paused`);
  return cancel(env, job, force);
}


function pause(env: BlockEnv, job: BlockJob): Result<void> {
  const v = verb(job, 'pause');
  if (!v.ok) return v;
  if (job.userPaused) return fail('job-state', 'Job is already paused');
  pauseJob(env, job);
  return OK;
}

function resume(env: BlockEnv, job: BlockJob): Result<void> {
  if (!job.userPaused) return fail('job-state', "Can't resume a job that was not paused");
  const v = verb(job, 'resume');
  if (!v.ok) return v;
  resumeJob(env, job);
  return OK;
}

/** The job verbs' QMP commands (qmp/command-name.ts JOB_COMMAND_NAMES). */
export function jobCommand(env: BlockEnv, name: JobCommandName, args: JsonObject): Result<void> {
  if (name.startsWith('job-')) {
    const v = qapi.visitStruct(args, [req('id', str)], '');
    if (!v.ok) return v;
    const j = findJob(env, String(args['id']));
    if (!j.ok) return j;
    const job = j.value;
    switch (name) {
      case 'job-complete':
        return complete(env, job);
      case 'job-cancel':
        return cancel(env, job, true);
      case 'job-pause':
        return pause(env, job);
      case 'job-resume':
        return resume(env, job);
      case 'job-finalize': {
        const r = verb(job, 'finalize');
        if (r.ok) finalize(env, job);
        return r;
      }
      default: {
        const r = verb(job, 'dismiss');
        if (r.ok) dismiss(env, job);
        return r;
      }
    }
  }
  const key = name === 'block-job-finalize' || name === 'block-job-dismiss' ? 'id' : 'device';
  const schema =
    name === 'block-job-cancel' ? [req(key, str), opt('force', bool)] : name === 'block-job-set-speed' ? [req(key, str), req('speed', int)] : [req(key, str)];
  const v = qapi.visitStruct(args, schema, '');
  if (!v.ok) return v;
  const j = findBlockJob(env, String(args[key]));
  if (!j.ok) return j;
  if (name === 'block-job-complete') return complete(env, j.value);
  if (name === 'block-job-cancel') return blockJobCancel(env, j.value, args['force'] === true);
  if (name === 'block-job-pause') return pause(env, j.value);
  if (name === 'block-job-finalize') {
    const r = verb(j.value, 'finalize');
    if (r.ok) finalize(env, j.value);
    return r;
  }
  if (name === 'block-job-dismiss') {
    const r = verb(j.value, 'dismiss');
    if (r.ok) dismiss(env, j.value);
    return r;
  }
  if (name === 'block-job-resume') return resume(env, j.value);
  const r = verb(j.value, 'set-speed');
  if (!r.ok) return r;
  const speed = Number(args['speed']);
  if (speed < 0) return fail('invalid-param', "Parameter 'speed' expects a non-negative value");
  j.value.speed = speed;
  return OK;
}

/** QEMU's job list is newest first. */
function jobsNewestFirst(env: BlockEnv): BlockJob[] {
  return [...env.jobs.values()].reverse();
}

export function queryJobs(env: BlockEnv): JsonValue[] {
  return jobsNewestFirst(env).map((j) => ({
    'current-progress': j.offset,
    status: j.status,
    'total-progress': j.len,
    type: j.type,
    id: j.id,
    ...(j.error !== undefined ? { error: j.error } : {}),
  }));
}

export function queryBlockJobs(env: BlockEnv): JsonValue[] {
  const drained = drainedNodes(env);
  return jobsNewestFirst(env).map((j) => ({
    'auto-finalize': j.autoFinalize,
    'io-status': 'ok',
    device: j.id,
    'auto-dismiss': j.autoDismiss,
    busy: false,
    len: j.len,
    offset: j.offset,
    status: j.status,
    paused: j.userPaused || drainPaused(env, j, drained),
    speed: j.speed,
    ready: j.status === 'ready' || j.status === 'standby',
    type: j.type,
    ...(j.ret ? { error: j.error ?? '' } : {}),
  }));
}
