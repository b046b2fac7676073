// block-commit (block/commit.c): an active commit is a mirror into the base; an intermediate one puts commit_top
// above `top`, freezes the chain and, at finalize, moves commit_top's parents to the base.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, draftPerms, nested } from '../draft.ts';
import type { Draft } from '../draft.ts';
import { dropFilter, removeBackends, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdges, findNode, findOverlay, isRoot, lengthsOf, lookup, node, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { truncate } from '../ops/nodes.ts';
import { ALL, NONE, permSetOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, asJobError, fail, ignored, ok, seq, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job } from '../state.ts';
import { copyInto, createJob, dataDecides, insertFilter, intermediateEdges, jobEdge, removeJobEdges, votes, writeBackingName } from './job.ts';
import { startMirror } from './mirror.ts';

/** `top-node` (default: the device) and `base-node` (default: the chain's bottom); file names are the deprecated forms. */
function resolve(d: Draft, args: JsonObject, device: string): Result<{ top: string; base: string }> {
  if (args['top-node'] !== undefined && args['top'] !== undefined) return fail('invalid-param', "'top-node' and 'top' are mutually exclusive");
  if (args['base-node'] !== undefined && args['base'] !== undefined) return fail('invalid-param', "'base-node' and 'base' are mutually exclusive");
  if (args['top'] !== undefined || args['base'] !== undefined) return unjudged('file-name');
  const t = lookup(d, str(args, 'top-node') ?? device, '');
  if (!t.ok || !chainContains(d, device, t.value.name)) return t.ok ? fail('invalid-param', `'${t.value.name}' is not in this backing file chain`) : t;
  const top = t.value.name;
  const bottom = findOverlay(d, top, undefined);
  if (str(args, 'base-node') === undefined) return bottom === undefined ? fail('not-found', 'There is no backimg image') : ok({ top, base: bottom });
  const b = lookup(d, str(args, 'base-node'), '');
  if (!b.ok || !chainContains(d, top, b.value.name)) return b.ok ? fail('invalid-param', `'${b.value.name}' is not in this backing file chain`) : b;
  return ok({ top, base: b.value.name });
}

export function blockCommit(d: Draft, args: JsonObject): Result<Job> {
  const device = str(args, 'device') ?? '';
  if (!findNode(d, device)) return fail('not-found', `Device '${device}' not found`);
  if (!isRoot(d, device)) return fail('invalid-param', 'Need a root block node');
  const busy = notBlocked(d, device, 'commit-source');
  const where = busy.ok ? resolve(d, args, device) : busy;
  if (!where.ok) return where;
  const { top, base } = where.value;
  const blocked = notBlocked(d, top, 'commit-target', { end: chainNext(d, base) });
  if (!blocked.ok || top === base) return blocked.ok ? fail('invalid-param', 'cannot commit an image into itself') : blocked;
  if (skipFilters(d, top) === skipFilters(d, device) || draftPerms(d).cumulative(top).perm.includes('write')) {
    if (args['backing-file'] !== undefined) return fail('invalid-param', `'backing-file' specified, but '${top}' is the active layer`);
    const rw = node(d, base).readOnly ? setReadOnly(d, base, false) : undefined;
    if (rw !== undefined && !rw.ok) return rw;
    if (rw !== undefined) d.madeWritable.push(base);
    return startMirror(d, args, top, base, undefined, { copies: true, grow: true });
  }
  const overlay = findOverlay(d, device, top);
  const b = overlay === undefined ? OK : notBlocked(d, overlay, 'commit-target');
  return b.ok ? startCommit(d, args, device, top, base) : b;
}

/** commit_start: job, writable base, commit_top above top, job edges down to the base, frozen chain, two backends. */
function startCommit(d: Draft, args: JsonObject, device: string, top: string, base: string): Result<Job> {
  if (skipFilters(d, top) === skipFilters(d, base)) return fail('invalid-param', 'Invalid files for merge: top and base are the same');
  // commit_top's name is handed out once the job exists and the base is writable
  const [detail, wasRO] = [{ kind: 'commit' as const, top, base }, node(d, base).readOnly];
  const [job, lengths] = [createJob(d, args, detail, '', device, NONE, ALL), lengthsOf(d, top, base)];
  if (!job.ok) return job;
  if (!lengths.ok) return lengths;
  const [j, [tl = 0, bl = 0]] = [job.value, lengths.value];
  const started = seq(
    () => (wasRO ? setReadOnly(d, base, false) : OK),
    () => {
      const ct = insertFilter(d, args, 'commit_top', top, { readOnly: true });
      if (ct.ok) j.filter = ct.value;
      return ct;
    },
    () => intermediateEdges(d, j, top, top, base),
    () => notFrozen(d, chainLinks(d, j.filter, base), j.filter),
    () => jobEdge(d, j, 'base', base, NONE, ALL),
    () => jobEdge(d, j, 'backend', base, permSetOf('consistent-read', 'write', ...(bl < tl ? (['resize'] as const) : [])), permSetOf('consistent-read', 'write-unchanged')),
    () => jobEdge(d, j, 'backend', top, NONE, ALL),
  );
  Object.assign(j, { freezesTo: base }, wasRO ? { restoreRO: base } : {});
  return started.ok ? job : started;
}

/** commit_run: a shorter base grows to the top's length first (a driver that cannot fails the job); then what is
 * above the base is copied into it. */
export function runCommit(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'commit') return ok(undefined);
  const [{ top, base }, t] = [job.detail, nested(d)];
  const lengths = lengthsOf(d, top, base);
  if (!lengths.ok) return lengths;
  const [tl = 0, bl = 0] = lengths.value;
  const grown = bl < tl ? truncate(t, base, tl) : OK;
  if (!grown.ok) return asJobError(grown, 'Operation not supported');
  adopt(d, t);
  return dataDecides(d, job, votes(d, top)) ? ok('Input/output error') : asJobError(copyInto(d, base));
}

/** commit_prepare: unfreeze, drop the base backend, move commit_top's parents to the base, rewrite their headers
 * through temporarily writable overlays. */
export function prepareCommit(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'commit') return ok(undefined);
  const [{ filter: ct }, { base }] = [job, job.detail];
  job.freezesTo = undefined;
  removeBackends(d, job.bbs.slice(0, 1));
  if (!chainContains(d, ct, base)) return ok('Input/output error');
  const explicitTop = skipImplicitFilters(d, ct);
  let inherits = false;
  for (let c: string | null = base; c !== null && !inherits; c = findNode(d, c)?.inheritsFrom ?? null) inherits = c === explicitTop;
  const overlays = d.edges.filter((e) => e.child === ct && e.role.kind === 'cow').map((e) => e.parent);
  const t = nested(d);
  const moved = seq(() => replaceNode(t, ct, base, false), () => checkGraph(t, [base, ct]));
  if (!moved.ok) return asJobError(moved, 'Input/output error');
  adopt(d, t);
  for (const p of overlays) {
    const ro = node(d, p).readOnly;
    const rw = ro ? setReadOnly(d, p, false) : OK;
    if (!rw.ok) return asJobError(rw, 'Input/output error');
    const w = seq(() => writeBackingName(d, p, base), () => (ro ? ignored(setReadOnly(d, p, true)) : OK));
    if (!w.ok) return w;
  }
  if (inherits) node(d, base).inheritsFrom = findNode(d, explicitTop)?.inheritsFrom ?? null;
  return ok(undefined);
}

/** commit_abort: commit_top goes again, its parents back on top; the job edges go now, not at dismiss. */
export function abortCommit(d: Draft, job: Job): Result {
  if (job.detail.kind !== 'commit') return OK;
  job.freezesTo = undefined;
  removeBackends(d, job.bbs.slice(0, 1));
  removeJobEdges(d, job);
  const below = childEdges(d, job.filter)[0]?.child;
  return below === undefined ? OK : dropFilter(d, job.filter, below);
}
