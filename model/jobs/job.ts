// What every block job shares (block_job_create): its type's hooks and its start as the type states it (the node it
// reopens read-write, its filter, its edges and BlockBackends in QEMU's order, the chain it freezes).
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph, notFrozen } from '../check.ts';
import type { Draft } from '../draft.ts';
import { addBackend, append, autoName } from '../edit.ts';
import { chainContains, chainNext, cowChild, findOverlay, isId, lengthsOf, node, str } from '../graph.ts';
import { checkNodeName } from '../open.ts';
import { FILTERED } from '../perm-rules.ts';
import { NO_PERMS, permSet, union, type Perm, type PermSet } from '../../qmp/perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, failureOf, isRefusal, ok, seq, type Result } from '../result.ts';
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

/** A job edge (it op-blocks its node) or, named `backend`, a BlockBackend; or a check of the start. `maybe`: perms a
 * BlockBackend also takes where the model does not follow why (a base shorter than top). */
type Fact = readonly [name: string, child: string, perm: PermSet, shared: PermSet, maybe?: PermSet];
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
  const rw = seq(() => (w ? notFrozen(d, w.held ?? []) : OK), () => (w ? setReadOnly(d, w.node, false, true) : OK));
  if (rw.ok && w?.residue) d.madeWritable.push(w.node);
  const filter = rw.ok ? s.filter(d) : rw;
  if (!filter.ok) return failureOf(filter, named) ?? filter;
  const [autoFinalize, autoDismiss] = [args['auto-finalize'] !== false, args['auto-dismiss'] !== false];
  const job: Job = {
    ...{ id, type: s.detail.kind, status: 'created', autoFinalize, autoDismiss, paused: false, completionPending: false, bbs: [] },
    ...{ filter: filter.value, detail: s.detail, freezesTo: s.freezes, ...(w ? { restoreRO: w.node } : {}) },
  };
  d.jobs.push(job);
  jobWrites(d, s.detail, filter.value);
  const steps = s.steps(filter.value);
  const maybe = new Map<number, PermSet>();
  for (const [name, child, perm, shared, more] of steps.filter(isFact)) {
    if (name !== 'backend') {
      d.jobEdges.push({ job: job.id, name, child, perm, shared });
      continue;
    }
    const bb = addBackend(d, child, perm, shared);
    job.bbs.push(bb);
    if (more !== undefined) maybe.set(bb, more);
  }
  const starts = steps.filter(isFact).map((f) => f[1]);
  const checked = checkGraph(d, starts);
  // refused either way: what the maybe-perms would meet is an allowed error too (seed 23's base shorter or not)
  const alsoMaybe = isRefusal(checked) && maybe.size > 0 ? checkWithMaybe(d, maybe, starts) : OK;
  return failureOf(named, ...steps.filter((x): x is Result => !isFact(x)), checked, alsoMaybe) ?? ok(job);
}

/** checkGraph with the BlockBackends in `maybe` taking their maybe-perms too; the draft as it was after. */
function checkWithMaybe(d: Draft, maybe: ReadonlyMap<number, PermSet>, starts: readonly string[]): Result {
  const before = d.bbs;
  d.bbs = before.map((b) => {
    const more = maybe.get(b.id);
    return more === undefined ? b : { ...b, perm: union(b.perm, more) };
  });
  try {
    return checkGraph(d, starts);
  } finally {
    d.bbs = before;
  }
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

/** The BlockBackend on a commit's base: it also resizes a base shorter than `top` (commit_start, mirror_start_job);
 * lengths not followed: a start that passes is not judged, but what refuses `perm` on the base refuses it (0011),
 * and then what `resize` would meet is allowed too. */
export function baseBackend(d: Draft, base: string, top: string, perm: PermSet, shared: PermSet): Step[] {
  const lengths = lengthsOf(d, top, base);
  if (!lengths.ok) return [['backend', base, perm, shared, permSet('resize')], lengths];
  const shorter = (lengths.value[1] ?? 0) < (lengths.value[0] ?? 0);
  return [['backend', base, union(perm, shorter ? ['resize'] : NO_PERMS), shared]];
}
