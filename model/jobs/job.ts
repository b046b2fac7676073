// What every block job shares at creation: its id, its record, its edges and BlockBackends (block_job_create).
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph, loosen } from '../check.ts';
import { addBackend, append } from '../edit.ts';
import { chainNext, cowChild, findOverlay, isId, num, str } from '../graph.ts';
import { autoName, checkNodeName } from '../open.ts';
import { FILTERED } from '../perm-rules.ts';
import { NONE, permSetOf, unionOf } from '../perm-set.ts';
import type { PermSet } from '../perm-set.ts';
import { OK, fail, ok } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobDetail, MNode, ModelState } from '../state.ts';

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
  if (!isId(id)) return fail('invalid-param', `Invalid job ID '${id}'`);
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

/** A job's filter (commit_top, mirror_top), named by filter-node-name or automatically, appended above `below`. */
export function insertFilter(d: ModelState, args: JsonObject, driver: 'commit_top' | 'mirror_top', below: string, more: Partial<MNode> = {}): Result<string> {
  const given = str(args, 'filter-node-name');
  const named = given === undefined ? OK : checkNodeName(d, given);
  if (!named.ok) return named;
  const name = given ?? autoName(d);
  const implicit = given === undefined;
  d.nodes.push({ name, auto: implicit, driver, readOnly: driver === 'commit_top', forceShare: false, opts: {}, owned: false, inheritsFrom: null, implicit, ...more });
  const r = append(d, name, below, FILTERED);
  return r.ok ? ok(name) : r;
}

/** Commit-mode job edges on the chain from `first` down to `base`: nothing taken, W U shared, and R too from the
 * node below `top`'s overlay of the base on (block_job_add_bdrv in commit_start and mirror_start_job). */
export function intermediateEdges(d: ModelState, job: Job, top: string, first: string | undefined, base: string): Result {
  const overlay = findOverlay(d, top, base);
  const filteredBase = overlay === undefined ? undefined : cowChild(d, overlay);
  let shared = permSetOf('write', 'write-unchanged');
  for (let iter = first; iter !== undefined && iter !== base; iter = chainNext(d, iter)) {
    if (iter === filteredBase) shared = unionOf(shared, permSetOf('consistent-read'));
    const e = jobEdge(d, job, 'intermediate node', iter, NONE, shared);
    if (!e.ok) return e;
  }
  return OK;
}

export function removeJobEdges(d: ModelState, job: Job): void {
  const gone = d.jobEdges.filter((e) => e.job === job.id).map((e) => e.child);
  d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id);
  loosen(d, gone);
}
