// What every block job shares at creation: its id, its record, its edges and BlockBackends (block_job_create).
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph } from '../check.ts';
import { addBackend } from '../edit.ts';
import { num, str } from '../graph.ts';
import type { PermSet } from '../perm-set.ts';
import { fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobDetail, ModelState } from '../state.ts';

const ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** A job edge also op-blocks its node (check.ts `blocker`). */
export function jobEdge(d: ModelState, job: Job, name: string, child: string, perm: PermSet, shared: PermSet): Result {
  d.jobEdges.push({ job: job.id, name, child, perm, shared });
  return checkGraph(d, [child]);
}

export function jobBackend(d: ModelState, job: Job, child: string, perm: PermSet, shared: PermSet): Result {
  job.bbs.push(addBackend(d, child, perm, shared));
  return checkGraph(d, [child]);
}

/** The job record and its `main node` edge; qsd nodes have no device names, so a job-id is required. */
export function createJob(d: ModelState, args: JsonObject, type: Job['type'], detail: JobDetail, filter: string, main: string, perm: PermSet, shared: PermSet): Result<Job> {
  const id = str(args, 'job-id') ?? '';
  if (!ID.test(id)) return fail('invalid-param', `Invalid job ID '${id}'`);
  if (d.jobs.some((j) => j.id === id)) return fail('duplicate', `Job ID '${id}' already in use`);
  if ((num(args, 'speed') ?? 0) < 0) return fail('invalid-param', "Parameter 'speed' expects a non-negative value");
  const job: Job = {
    id,
    type,
    status: 'pending',
    autoFinalize: args['auto-finalize'] !== false,
    autoDismiss: args['auto-dismiss'] !== false,
    paused: false,
    completionPending: false,
    filter,
    bbs: [],
    ...detail,
  };
  d.jobs.push(job);
  const e = jobEdge(d, job, 'main node', main, perm, shared);
  return e.ok ? ok(job) : e;
}

export function removeJobEdges(d: ModelState, job: Job): void {
  d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id);
}
