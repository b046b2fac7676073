// block_job_create / block_job_add_bdrv: a job with its own node in the graph and edges to nodes.
import { detachChild, rootAttach } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode, Edge, JobParent } from '../core/graph.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { NO_ROLE } from '../core/role.ts';
import type { Transaction } from '../core/transaction.ts';
import type { BlockJob, JobImpl, JobType } from './job.ts';

const ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

export interface JobSpec {
  /** Absent: the device name, which qsd nodes never have. */
  readonly id: string | undefined;
  readonly type: JobType;
  readonly mainNode: BlockNode;
  readonly perm: PermSet;
  readonly shared: PermSet;
  readonly autoFinalize: boolean;
  readonly autoDismiss: boolean;
  readonly speed: number;
  readonly impl: JobImpl;
}

/** block_job_add_bdrv: a job edge, which also op-blocks the node (see op-blockers.ts). */
export function addJobEdge(env: BlockEnv, tx: Transaction, job: BlockJob, name: string, node: BlockNode, perm: PermSet, shared: PermSet): Result<Edge> {
  return rootAttach(env, tx, { kind: 'job', job: job.parent }, node, name, NO_ROLE, perm, shared);
}

/** block_job_remove_all_bdrv */
export function removeJobEdges(env: BlockEnv, tx: Transaction, job: BlockJob): void {
  for (const e of [...job.parent.edges]) detachChild(env, tx, e);
}

export function createBlockJob(env: BlockEnv, tx: Transaction, spec: JobSpec): Result<BlockJob> {
  const id = spec.id ?? '';
  if (!ID.test(id)) return fail('invalid-param', `Invalid job ID '${id}'`);
  if (env.jobs.has(id)) return fail('duplicate', `Job ID '${id}' already in use`);
  if (spec.speed < 0) return fail('invalid-param', "Parameter 'speed' expects a non-negative value");
  const parent: JobParent = { id: env.graph.nextId++, jobId: id, type: spec.type, edges: [] };
  const job: BlockJob = {
    id,
    type: spec.type,
    status: 'created',
    autoFinalize: spec.autoFinalize,
    autoDismiss: spec.autoDismiss,
    parent,
    impl: spec.impl,
    ret: 0,
    error: undefined,
    cancelled: false,
    forceCancel: false,
    len: 0,
    offset: 0,
    speed: spec.speed,
    deferred: false,
    userPaused: false,
    completionPending: false,
  };
  env.jobs.set(id, job);
  env.graph.jobs.unshift(parent);
  tx.addUndo(() => {
    env.jobs.delete(id);
    env.graph.jobs.splice(env.graph.jobs.indexOf(parent), 1);
  });
  env.events.emit('JOB_STATUS_CHANGE', { status: 'created', id });
  const e = addJobEdge(env, tx, job, 'main node', spec.mainNode, spec.perm, spec.shared);
  return e.ok ? ok(job) : e;
}

/** Frees the job's graph node once nothing refers to it. */
export function releaseJobNode(env: BlockEnv, tx: Transaction, job: BlockJob): void {
  removeJobEdges(env, tx, job);
  const i = env.graph.jobs.indexOf(job.parent);
  if (i >= 0) {
    env.graph.jobs.splice(i, 1);
    tx.addUndo(() => env.graph.jobs.splice(i, 0, job.parent));
  }
}
