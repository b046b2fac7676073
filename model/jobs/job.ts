// What every block job shares (block_job_create): its record, edges, BlockBackends and filter; what its copying
// leaves in images, which the model does not follow byte by byte; and the header names it writes.
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, append, autoName } from '../edit.ts';
import { chainContains, chainNext, childEdges, cowChild, findOverlay, isId, lengthOf, node, str, writeReach } from '../graph.ts';
import { checkNodeName } from '../open.ts';
import { FILTERED } from '../perm-rules.ts';
import { NONE, permSetOf } from '../perm-set.ts';
import type { PermSet } from '../perm-set.ts';
import { OK, fail, ok, seq, unjudged } from '../result.ts';
import { jobWrites } from '../served/written.ts';
import type { Result } from '../result.ts';
import type { Job, JobDetail, MNode, ModelState } from '../state.ts';

/** A job edge (it also op-blocks its node) or BlockBackend, checked at once. */
export function jobEdge(d: Draft, job: Job, name: string | 'backend', child: string, perm: PermSet, shared: PermSet): Result {
  if (name === 'backend') job.bbs.push(addBackend(d, child, perm, shared));
  else d.jobEdges.push({ job: job.id, name, child, perm, shared });
  return checkGraph(d, [child]);
}

/** The job record and its `main node` edge; qsd nodes have no device names, so a job-id is required. */
export function createJob(d: Draft, args: JsonObject, detail: JobDetail, filter: string, main: string, perm: PermSet, shared: PermSet): Result<Job> {
  const id = str(args, 'job-id') ?? '';
  if (!isId(id)) return fail('invalid-param', `Invalid job ID '${id}'`);
  if (d.jobs.some((j) => j.id === id)) return fail('duplicate', `Job ID '${id}' already in use`);
  const [autoFinalize, autoDismiss] = [args['auto-finalize'] !== false, args['auto-dismiss'] !== false];
  const job: Job = { id, type: detail.kind, status: 'created', autoFinalize, autoDismiss, paused: false, completionPending: false, filter, bbs: [], detail };
  d.jobs.push(job);
  jobWrites(d, detail);
  const e = jobEdge(d, job, 'main node', main, perm, shared);
  return e.ok ? ok(job) : e;
}

/** A job's filter (commit_top, mirror_top), named by filter-node-name or automatically, appended above `below`. */
export function insertFilter(d: Draft, args: JsonObject, driver: 'commit_top' | 'mirror_top', below: string, more: Partial<MNode> = {}): Result<string> {
  const given = str(args, 'filter-node-name');
  const named = given === undefined ? OK : checkNodeName(d, given);
  if (!named.ok) return named;
  const name = given ?? autoName(d);
  d.nodes.push({ name, driver, readOnly: false, forceShare: false, opts: {}, owned: false, inheritsFrom: null, implicit: given === undefined, size: undefined, ...more });
  const r = append(d, name, below, FILTERED);
  return r.ok ? ok(name) : r;
}

/** `intermediate node` edges on the chain from `first` down to (not including) `end`, taking nothing. */
export function chainEdges(d: Draft, job: Job, first: string | undefined, end: string | undefined, shared: (n: string) => PermSet): Result {
  const chain: string[] = [];
  for (let n = first; n !== undefined && n !== end; n = chainNext(d, n)) chain.push(n);
  return seq(...chain.map((n) => () => jobEdge(d, job, 'intermediate node', n, NONE, shared(n))));
}

/** Commit-mode chain edges from `first` down to `base`: W U shared, and R too from the node below `top`'s overlay of
 * the base on (block_job_add_bdrv in commit_start and mirror_start_job). */
export function intermediateEdges(d: Draft, job: Job, top: string, first: string | undefined, base: string): Result {
  const overlay = findOverlay(d, top, base);
  const filteredBase = overlay === undefined ? undefined : cowChild(d, overlay);
  const reads = (n: string): boolean => filteredBase !== undefined && chainContains(d, filteredBase, n);
  return chainEdges(d, job, first, base, (n) => permSetOf('write', 'write-unchanged', ...(reads(n) ? (['consistent-read'] as const) : [])));
}

export const removeJobEdges = (d: ModelState, job: Job): void => void (d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id));

/** Does a read through `name` pass a vote among children's data (a quorum), which may fail on what they hold? */
export const votes = (s: ModelState, name: string): boolean => driverFacts(node(s, name).driver).votes === true || childEdges(s, name).some((e) => votes(s, e.child));

/** A job whose success image data decides (`uncertain`): it fails in this run where `d.failing` says so, and apply
 * tries the other way too. */
export function dataDecides(d: Draft, job: Job, uncertain: boolean): boolean {
  if (uncertain && !d.dataDependent.includes(job.id)) d.dataDependent.push(job.id);
  return uncertain && d.failing.has(job.id);
}

/** A job copying into `name`: which bytes it writes the model does not follow, so the nodes and images it reaches get
 * lengths it does not know (allocations, writes past the end), and images reached at their first bytes unknown content. A format whose metadata
 * is not followed (a cut image, a swapped file) would be corrupted by the write: not judged. */
export function copyInto(d: Draft, name: string): Result {
  const lost = (n: string): boolean =>
    (driverFacts(node(d, n).driver).format === true && d.images[node(d, n).image ?? '']?.content.kind !== 'qcow2') ||
    childEdges(d, n).some((e) => e.role.kind !== 'cow' && lost(e.child));
  if (lost(name)) return unjudged('image-data');
  const extent = lengthOf(d, name) ?? Infinity;
  for (const { node: n, bytes } of writeReach(d, name)) {
    const image = d.images[driverFacts(n.driver).imageFile?.(n).filename ?? ''];
    // allocations below a format, and writes within a stale length past a file's end, grow what they pass
    const grows = !bytes || (image !== undefined && extent > (image.length ?? Infinity));
    if (grows && driverFacts(n.driver).format !== true) n.size = undefined;
    if (image) Object.assign(image, { ...(grows ? { length: undefined } : {}), ...(bytes ? { content: { kind: 'unknown' } } : {}) });
  }
  return OK;
}

/** A job rewrites `overlay`'s header to name its new backing (none: undefined); which name it writes (a file name,
 * json:, `backing-file`) is header contents the model does not follow, so opening that backing again is not judged. */
export function writeBackingName(d: Draft, overlay: string, base: string | undefined): Result {
  const n = node(d, overlay);
  const content = d.images[n.image ?? '']?.content;
  if (content?.kind !== 'qcow2') return unjudged('image-data');
  content.backing = base === undefined ? null : 'unknown';
  n.namesBacking = base !== undefined;
  return OK;
}
