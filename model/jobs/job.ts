// What every block job shares at creation (block_job_create): its record, edges and BlockBackends, its filter; and
// what its copying leaves in images (not followed byte by byte).
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, append, autoName } from '../edit.ts';
import { chainNext, childEdges, cowChild, filenameOf, findOverlay, isId, node, num, str, writeReach } from '../graph.ts';
import { checkNodeName } from '../open.ts';
import { FILTERED } from '../perm-rules.ts';
import { NONE, permSetOf, unionOf } from '../perm-set.ts';
import type { PermSet } from '../perm-set.ts';
import { OK, fail, ok, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, JobDetail, MNode, ModelState } from '../state.ts';

/** A job edge also op-blocks its node (check.ts `blocker`). */
export function jobEdge(d: Draft, job: Job, name: string, child: string, perm: PermSet, shared: PermSet): Result {
  d.jobEdges.push({ job: job.id, name, child, perm, shared });
  return checkGraph(d, [child]);
}

export function jobBackend(d: Draft, job: Job, child: string, perm: PermSet, shared: PermSet): Result {
  job.bbs.push(addBackend(d, child, perm, shared));
  return checkGraph(d, [child]);
}

/** The job record and its `main node` edge; qsd nodes have no device names, so a job-id is required. */
export function createJob(d: Draft, args: JsonObject, detail: JobDetail, filter: string, main: string, perm: PermSet, shared: PermSet): Result<Job> {
  const id = str(args, 'job-id') ?? '';
  if (!isId(id)) return fail('invalid-param', `Invalid job ID '${id}'`);
  if (d.jobs.some((j) => j.id === id)) return fail('duplicate', `Job ID '${id}' already in use`);
  if ((num(args, 'speed') ?? 0) < 0) return fail('invalid-param', "Parameter 'speed' expects a non-negative value");
  const job: Job = {
    ...{ id, type: detail.kind, status: 'created', autoFinalize: args['auto-finalize'] !== false, autoDismiss: args['auto-dismiss'] !== false },
    ...{ paused: false, completionPending: false, failed: false, filter, bbs: [], detail },
  };
  d.jobs.push(job);
  const e = jobEdge(d, job, 'main node', main, perm, shared);
  return e.ok ? ok(job) : e;
}

/** A job's filter (commit_top, mirror_top), named by filter-node-name or automatically, appended above `below`. */
export function insertFilter(d: Draft, args: JsonObject, driver: 'commit_top' | 'mirror_top', below: string, more: Partial<MNode> = {}): Result<string> {
  const given = str(args, 'filter-node-name');
  const named = given === undefined ? OK : checkNodeName(d, given);
  if (!named.ok) return named;
  const name = given ?? autoName(d);
  const implicit = given === undefined;
  d.nodes.push({ name, driver, readOnly: driver === 'commit_top', forceShare: false, opts: {}, owned: false, inheritsFrom: null, implicit, size: undefined, ...more });
  const r = append(d, name, below, FILTERED);
  return r.ok ? ok(name) : r;
}

/** Commit-mode job edges on the chain from `first` down to `base`: nothing taken, W U shared, and R too from the
 * node below `top`'s overlay of the base on (block_job_add_bdrv in commit_start and mirror_start_job). */
export function intermediateEdges(d: Draft, job: Job, top: string, first: string | undefined, base: string): Result {
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
  d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id);
}

/** Does a read through `name` pass a vote among children's data (a quorum), which may fail on what they hold? */
export function readsVote(s: ModelState, name: string): boolean {
  return driverFacts(node(s, name).driver).votes === true || childEdges(s, name).some((e) => readsVote(s, e.child));
}

/** A job copying into `name`: which bytes the model does not follow, so the images it reaches get lengths it does
 * not know (allocations), and those reached at their first bytes unknown content. A format whose metadata the model
 * does not follow (a cut image, a swapped file) would be corrupted by the write: not judged. */
export function copyInto(d: Draft, name: string): Result {
  const lost = (n: string): boolean => {
    const x = node(d, n);
    const meta = x.image === undefined ? undefined : d.images[x.image]?.content.kind;
    const own = driverFacts(x.driver).format === true && meta !== 'qcow2';
    return own || childEdges(d, n).some((e) => e.role.kind !== 'cow' && lost(e.child));
  };
  if (lost(name)) return unjudged('image-data');
  for (const { image, header } of writeReach(d, name)) {
    const i = d.images[image];
    if (!i) continue;
    i.length = undefined;
    if (header) i.content = { kind: 'unknown' };
  }
  return OK;
}

/** A job whose success image data decides: in this run it fails where `d.failing` says so; apply tries both. */
export function dataDecides(d: Draft, job: Job): boolean {
  if (!d.dataDependent.includes(job.id)) d.dataDependent.push(job.id);
  return d.failing.has(job.id);
}

/** A job rewrites `overlay`'s header to name `base` (none: undefined): a plain file name the model follows, any
 * other name (json:, a filter's) it does not. */
export function writeBackingName(d: Draft, overlay: string, base: string | undefined, given: string | undefined): Result {
  const n = node(d, overlay);
  const content = n.image === undefined ? undefined : d.images[n.image]?.content;
  if (content?.kind !== 'qcow2') return unjudged('image-data');
  const name = base === undefined ? undefined : (given ?? filenameOf(d, base));
  content.backing = base === undefined ? null : name === undefined ? 'unknown' : { file: name, format: node(d, base).driver };
  Object.assign(n, { namesBacking: base !== undefined, headerBacking: true });
  return OK;
}
