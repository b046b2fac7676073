// A block job as QEMU's job.c sees it: its record, its statuses and verbs, and its type's hooks (JobDriver).
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode, JobParent } from '../core/graph.ts';
import type { Result } from '../core/result.ts';

export const JOB_STATUSES = [
  'undefined', 'created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending', 'aborting', 'concluded', 'null',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type JobVerb = 'cancel' | 'pause' | 'resume' | 'set-speed' | 'complete' | 'finalize' | 'dismiss';

export type JobType = 'commit' | 'stream' | 'mirror';

/** What running a job to its next stable point gave (job_co_entry → run). */
export type RunOutcome =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: string; readonly errno: number };

/** A job type's hooks (JobDriver): run, then prepare/commit/abort/clean at finalization. */
export interface JobImpl {
  run(env: BlockEnv, job: BlockJob): RunOutcome;
  /** Returns 0 or a negative errno (the job then aborts). */
  prepare?(env: BlockEnv, job: BlockJob): number;
  commit?(env: BlockEnv, job: BlockJob): void;
  abort?(env: BlockEnv, job: BlockJob): void;
  clean?(env: BlockEnv, job: BlockJob): void;
  /** job-complete on a ready job; absent means the job cannot be completed. */
  complete?(env: BlockEnv, job: BlockJob): Result<void>;
  /** Soft cancel of a ready mirror completes without pivot: returns whether the cancel is forced. */
  cancel?(job: BlockJob, force: boolean): boolean;
  /** The node a completed mirror keeps drained until it is finalized (see drain-holds.ts). */
  drainedSource?(job: BlockJob): BlockNode | undefined;
  /** Drops graph edges when the job object is freed (block_job_free). */
  free?(env: BlockEnv, job: BlockJob): void;
}

/** What every job-starting command passes on to its job (job id, rate, filter name, auto-* flags). */
export interface JobCommonParams {
  readonly jobId: string | undefined;
  readonly speed: number;
  readonly filterNodeName: string | undefined;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
}

export interface BlockJob {
  readonly id: string;
  readonly type: JobType;
  status: JobStatus;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  /** The graph side of the job: its edges (main node, source, target, ...). */
  readonly parent: JobParent;
  readonly impl: JobImpl;
  ret: number;
  error: string | undefined;
  cancelled: boolean;
  forceCancel: boolean;
  /** Bytes: progress_total / progress_current, shown as len / offset. */
  len: number;
  offset: number;
  speed: number;
  /** Set once run() has finished (job->deferred_to_main_loop). */
  deferred: boolean;
  /** job-pause: a ready job waits in standby (and a requested completion with it). */
  userPaused: boolean;
  completionPending: boolean;
}

export function isCancelled(job: BlockJob): boolean {
  return job.cancelled && job.forceCancel;
}
