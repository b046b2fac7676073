// What every block job shares (block_job_create): its record, its type's hooks, its start as the type states it (the
// node it reopens read-write, its filter, its edges and BlockBackends in QEMU's order, the chain it freezes), its
// filter's end; and what its copying leaves, which the model does not follow byte by byte.
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph, notFrozen } from '../check.ts';
import { adopt, nested, type Draft } from '../draft.ts';
import { addBackend, append, autoName, dropFilter, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdges, cowChild, findNode, findOverlay, isId, lengthOf, lengthsOf, node, str, writeReach } from '../graph.ts';
import { truncate } from '../ops/nodes.ts';
import { checkNodeName } from '../open.ts';
import { FILTERED } from '../perm-rules.ts';
import { NO_PERMS, permSet, union, type Perm, type PermSet } from '../../qmp/perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, asJobError, fail, failureOf, ok, seq, unjudged, type Result } from '../result.ts';
import { jobWrites } from '../served/written.ts';
import type { Job, JobDetail, MNode, ModelState, NodeEdge } from '../state.ts';

/** A job type's hooks (job.c's driver): `run` (to ready if it `waits`, else done) and `prepare` (at finalize) give
 * the error the job fails with, if any; `abort` undoes what a failed or cancelled job did. */
export interface JobType<D extends JobDetail = JobDetail> {
  readonly waits?: true;
  /** its job edges go when it concludes, not at dismiss */
  readonly releasesEdges?: true;
  run(d: Draft, job: Job, x: D): Result<string | undefined>;
  prepare(d: Draft, job: Job, x: D): Result<string | undefined>;
  abort(d: Draft, job: Job, x: D): Result<unknown>;
}
export type Detail<K extends JobDetail['kind']> = Extract<JobDetail, { readonly kind: K }>;

/** A job edge (it op-blocks its node) or, named `backend`, a BlockBackend; or a check of the start. */
type Fact = readonly [name: string, child: string, perm: PermSet, shared: PermSet];
export type Step = Fact | Result;
const isFact = (x: Step): x is Fact => Array.isArray(x);

/** A job type's start: the node it reopens read-write first (the chain `held` meanwhile), its filter, then the job,
 * its edges and checks, whose order the model does not follow (any refusal among them is allowed); it freezes its
 * filter's chain down to `freezes`. `residue`: a failed start reopens that node read-only anew in 7.2
 * (failed-job-start-reopens-read-only), so the comparison is told. */
export interface Start {
  readonly detail: JobDetail;
  readonly writable?: { readonly node: string; readonly held?: readonly NodeEdge[]; readonly residue: boolean };
  readonly filter: (d: Draft) => Result<string>;
  readonly steps: (filter: string) => readonly Step[];
  readonly freezes?: string | undefined;
}

export function startJob(d: Draft, args: JsonObject, s: Start): Result<Job> {
  const id = str(args, 'job-id') ?? '';
  // qsd nodes have no device names, so a job-id is required
  const taken = d.jobs.some((j) => j.id === id) ? fail('duplicate', `Job ID '${id}' already in use`) : OK;
  const named = isId(id) ? taken : fail('invalid-param', `Invalid job ID '${id}'`);
  const w = s.writable !== undefined && node(d, s.writable.node).readOnly ? s.writable : undefined;
  const rw = seq(() => (w ? notFrozen(d, w.held ?? []) : OK), () => (w ? setReadOnly(d, w.node, false) : OK));
  if (rw.ok && w?.residue) d.madeWritable.push(w.node);
  const filter = rw.ok ? s.filter(d) : rw;
  if (!filter.ok) return failureOf(filter, named) ?? filter;
  const [autoFinalize, autoDismiss] = [args['auto-finalize'] !== false, args['auto-dismiss'] !== false];
  const job: Job = {
    ...{ id, type: s.detail.kind, status: 'created', autoFinalize, autoDismiss, paused: false, completionPending: false, bbs: [] },
    ...{ filter: filter.value, detail: s.detail, freezesTo: s.freezes, ...(w ? { restoreRO: w.node } : {}) },
  };
  d.jobs.push(job);
  jobWrites(d, s.detail);
  const steps = s.steps(filter.value);
  for (const [name, child, perm, shared] of steps.filter(isFact)) {
    if (name === 'backend') job.bbs.push(addBackend(d, child, perm, shared));
    else d.jobEdges.push({ job: job.id, name, child, perm, shared });
  }
  return failureOf(named, ...steps.filter((x): x is Result => !isFact(x)), checkGraph(d, steps.filter(isFact).map((f) => f[1]))) ?? ok(job);
}

/** A job's filter (commit_top, mirror_top), named by filter-node-name or automatically, appended above `below`. */
export function insertFilter(d: Draft, args: JsonObject, driver: 'commit_top' | 'mirror_top', below: string, more: Partial<MNode>): Result<string> {
  const given = str(args, 'filter-node-name');
  const named = given === undefined ? OK : checkNodeName(d, given);
  if (!named.ok) return named;
  const name = given ?? autoName(d);
  const implicit = given === undefined;
  d.nodes.push({ name, driver, readOnly: false, forceShare: false, opts: {}, owned: false, inheritsFrom: null, implicit, size: undefined, ...more });
  const r = append(d, name, below, FILTERED);
  return r.ok ? ok(name) : r;
}

/** The nodes from `first` down the chain to (not including) `end`. */
export function chain(s: ModelState, first: string | undefined, end: string | undefined): string[] {
  const out: string[] = [];
  for (let n = first; n !== undefined && n !== end; n = chainNext(s, n)) out.push(n);
  return out;
}

/** Commit-mode `intermediate node` edges from `first` down to `base`: nothing taken, W U shared, R too below `top`'s overlay of the base. */
export function intermediate(d: Draft, top: string, first: string | undefined, base: string): Step[] {
  const overlay = findOverlay(d, top, base);
  const filteredBase = overlay === undefined ? undefined : cowChild(d, overlay);
  const reads = (n: string): Perm[] => (filteredBase !== undefined && chainContains(d, filteredBase, n) ? ['consistent-read'] : []);
  return chain(d, first, base).map((n) => ['intermediate node', n, NO_PERMS, permSet('write', 'write-unchanged', ...reads(n))]);
}

/** The BlockBackend on a commit's base: it also resizes a base shorter than `top` (commit_start, mirror_start_job). */
export function baseBackend(d: Draft, base: string, top: string, perm: PermSet, shared: PermSet): Step {
  const lengths = lengthsOf(d, top, base);
  const shorter = lengths.ok && (lengths.value[1] ?? 0) < (lengths.value[0] ?? 0);
  return lengths.ok ? ['backend', base, union(perm, shorter ? ['resize'] : NO_PERMS), shared] : lengths;
}

export const removeJobEdges = (d: ModelState, job: Job): void => void (d.jobEdges = d.jobEdges.filter((e) => e.job !== job.id));

/** The job's filter goes (bdrv_drop_filter): its parents move to the node below, its link is cut, a `bottom` unfrozen. */
export function dropJobFilter(d: Draft, job: Job): Result {
  const [f, below] = [findNode(d, job.filter), chainNext(d, job.filter)];
  if (f === undefined || below === undefined) return OK;
  f.opts = Object.fromEntries(Object.entries(f.opts).filter(([k]) => k !== 'bottom'));
  return dropFilter(d, job.filter, below, true);
}

/** A change that may fail on its own, kept only if it succeeds. */
export function inNested(d: Draft, change: (t: Draft) => Result): Result {
  const t = nested(d);
  const r = change(t);
  if (r.ok) adopt(d, t);
  return r;
}

/** bdrv_replace_node then the refresh, in a nested draft: refused, it leaves the graph as it was. */
export const replaced = (d: Draft, from: string, to: string, autoSkip = true): Result =>
  inNested(d, (t) => seq(() => replaceNode(t, from, to, autoSkip), () => checkGraph(t, [to, from])));

/** Does a read through `name` pass a vote among children's data (a quorum), which may fail on what they hold? */
export const votes = (s: ModelState, name: string): boolean =>
  s.drivers[node(s, name).driver].votes === true || childEdges(s, name).some((e) => votes(s, e.child));

/** A job whose success image data decides (`uncertain`) fails where `d.failing` says so; apply tries the other way too. */
export function dataDecides(d: Draft, job: Job, uncertain: boolean): boolean {
  if (uncertain && !d.dataDependent.includes(job.id)) d.dataDependent.push(job.id);
  return uncertain && d.failing.has(job.id);
}

/** A job copies into `name`; whether a read on the way fails (EIO) may depend on data (`uncertain`). */
export const copy = (d: Draft, job: Job, name: string, uncertain: boolean): Result<string | undefined> =>
  dataDecides(d, job, uncertain) ? ok('Input/output error') : asJobError(copyInto(d, name));

/** A copy's base (commit_run, an active commit's mirror_run) grows to its source's length first, or the job fails. */
export function growAndCopy(d: Draft, job: Job, from: string, into: string, cannot?: string): Result<string | undefined> {
  const lengths = lengthsOf(d, from, into);
  if (!lengths.ok) return lengths;
  const [have = 0, want = 0] = lengths.value;
  const grown = have > want ? inNested(d, (t) => truncate(t, into, have)) : OK;
  return grown.ok ? copy(d, job, into, votes(d, from)) : asJobError(grown, cannot);
}

/** Which bytes a copy writes the model does not follow, so the nodes and images it reaches get lengths it does not
 * know (allocations, writes past the end), and images reached at their first bytes unknown content. A format whose
 * metadata is not followed (a cut image, a swapped file) would be corrupted by the write: not judged. */
function copyInto(d: Draft, name: string): Result {
  const lost = (n: string): boolean =>
    (d.drivers[node(d, n).driver].format === true && d.images[node(d, n).image ?? '']?.content.kind !== 'qcow2') ||
    childEdges(d, n).some((e) => e.role.kind !== 'cow' && lost(e.child));
  if (lost(name)) return unjudged('image-data');
  const extent = lengthOf(d, name) ?? Infinity;
  for (const { node: n, bytes } of writeReach(d, name)) {
    const image = d.images[d.drivers[n.driver].imageFile?.(n).filename ?? ''];
    // allocations below a format, and writes within a stale length past a file's end, grow what they pass
    const grows = !bytes || (image !== undefined && extent > (image.length ?? Infinity));
    if (grows && d.drivers[n.driver].format !== true) n.size = undefined;
    if (image) Object.assign(image, grows ? { length: undefined } : {}, bytes ? { content: { kind: 'unknown' } } : {});
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
