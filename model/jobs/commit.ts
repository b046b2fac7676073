// block-commit (block/commit.c): an active commit is a mirror into the base; an intermediate one puts commit_top
// above `top`, freezes the chain and, at finalize, moves commit_top's parents to the base.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, chainNotBlocked, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, nested } from '../draft.ts';
import type { Draft } from '../draft.ts';
import { dropFilter, removeBackends, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdges, filenameOf, findByFilename, findNode, findOverlay, isRoot, lengthsOf, lookup, node, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { truncate } from '../ops/nodes.ts';
import { ALL, NONE, permSetOf } from '../perm-set.ts';
import { computePerms } from '../perms.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ok, seq, unjudged } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job } from '../state.ts';
import { copyInto, createJob, dataDecides, insertFilter, intermediateEdges, jobBackend, jobEdge, readsVote, removeJobEdges, writeBackingName } from './job.ts';
import { startMirror } from './mirror.ts';

const EIO = 'Input/output error';

/** `top`/`top-node` and `base`/`base-node` (file names are the deprecated forms). */
function resolve(d: Draft, args: JsonObject, device: string): Result<{ top: string; base: string }> {
  if (args['top-node'] !== undefined && args['top'] !== undefined) return fail('invalid-param', "'top-node' and 'top' are mutually exclusive");
  if (args['base-node'] !== undefined && args['base'] !== undefined) return fail('invalid-param', "'base-node' and 'base' are mutually exclusive");
  const topFile = str(args, 'top');
  const deviceFile = topFile === undefined ? undefined : filenameOf(d, device);
  if (topFile !== undefined && deviceFile === undefined) return unjudged('file-name');
  const byFile = topFile === undefined || deviceFile === topFile ? ok(device) : findByFilename(d, device, topFile);
  if (!byFile.ok) return byFile;
  if (byFile.value === undefined) return fail('not-found', `Top image file ${topFile ?? ''} not found`);
  const t = str(args, 'top-node') === undefined ? ok(node(d, byFile.value)) : lookup(d, str(args, 'top-node'), '');
  if (!t.ok) return t;
  const top = t.value.name;
  if (!chainContains(d, device, top)) return fail('invalid-param', `'${top}' is not in this backing file chain`);
  const baseFile = str(args, 'base');
  if (baseFile !== undefined) {
    const b = findByFilename(d, top, baseFile);
    if (!b.ok) return b;
    return b.value === undefined ? fail('not-found', `Can't find '${baseFile}' in the backing chain`) : ok({ top, base: b.value });
  }
  if (str(args, 'base-node') === undefined) {
    const bottom = findOverlay(d, top, undefined);
    return bottom === undefined ? fail('not-found', 'There is no backimg image') : ok({ top, base: bottom });
  }
  const b = lookup(d, str(args, 'base-node'), '');
  if (!b.ok) return b;
  return chainContains(d, top, b.value.name) ? ok({ top, base: b.value.name }) : fail('invalid-param', `'${b.value.name}' is not in this backing file chain`);
}

export function blockCommit(d: Draft, args: JsonObject): Result<Job> {
  const device = str(args, 'device') ?? '';
  if (!findNode(d, device)) return fail('not-found', `Device '${device}' not found`);
  if (!isRoot(d, device)) return fail('invalid-param', 'Need a root block node');
  const r = seq(() => notBlocked(d, device, 'commit-source'));
  const where = r.ok ? resolve(d, args, device) : r;
  if (!where.ok) return where;
  const { top, base } = where.value;
  const blocked = chainNotBlocked(d, top, chainNext(d, base), 'commit-target');
  if (!blocked.ok) return blocked;
  if (top === base) return fail('invalid-param', 'cannot commit an image into itself');
  if (skipFilters(d, top) === skipFilters(d, device) || computePerms(d).cumulative(top).perm.includes('write')) {
    if (args['backing-file'] !== undefined) return fail('invalid-param', `'backing-file' specified, but '${top}' is the active layer`);
    const rw = node(d, base).readOnly ? setReadOnly(d, base, false) : OK;
    return rw.ok ? startMirror(d, args, top, base, undefined, { copies: true, grow: true }) : rw;
  }
  const overlay = findOverlay(d, device, top);
  const b = overlay === undefined ? OK : notBlocked(d, overlay, 'commit-target');
  return b.ok ? startCommit(d, args, device, top, base) : b;
}

/** commit_start: job, writable base, commit_top above top, job edges down to the base, frozen chain, two backends. */
function startCommit(d: Draft, args: JsonObject, device: string, top: string, base: string): Result<Job> {
  if (skipFilters(d, top) === skipFilters(d, base)) return fail('invalid-param', 'Invalid files for merge: top and base are the same');
  // commit_top's name is handed out once the job exists and the base is writable
  const detail = { kind: 'commit' as const, top, base, baseWasRO: node(d, base).readOnly, backingFile: str(args, 'backing-file'), frozen: false };
  const job = createJob(d, args, detail, '', device, NONE, ALL);
  if (!job.ok) return job;
  const j = job.value;
  const lengths = lengthsOf(d, top, base);
  if (!lengths.ok) return lengths;
  const [tl = 0, bl = 0] = lengths.value;
  const started = seq(
    () => (detail.baseWasRO ? setReadOnly(d, base, false) : OK),
    () => {
      const ct = insertFilter(d, args, 'commit_top', top);
      if (ct.ok) j.filter = ct.value;
      return ct;
    },
    () => intermediateEdges(d, j, top, top, base),
    () => notFrozen(d, chainLinks(d, j.filter, base), j.filter),
    () => {
      detail.frozen = true;
      return jobEdge(d, j, 'base', base, NONE, ALL);
    },
    () => jobBackend(d, j, base, permSetOf('consistent-read', 'write', ...(bl < tl ? (['resize'] as const) : [])), permSetOf('consistent-read', 'write-unchanged')),
    () => jobBackend(d, j, top, NONE, ALL),
  );
  return started.ok ? job : started;
}

/** commit_run: a shorter base grows to the top's length first (a driver that cannot resize fails the job); then the
 * data below top is copied into the base. */
export function runCommit(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'commit') return ok(undefined);
  const { top, base } = job.detail;
  const lengths = lengthsOf(d, top, base);
  if (!lengths.ok) return lengths;
  const [tl = 0, bl = 0] = lengths.value;
  if (bl < tl) {
    const t = nested(d);
    const r = truncate(t, base, tl);
    if (!r.ok) return 'error' in r ? ok('Operation not supported') : r;
    adopt(d, t);
  }
  if (readsVote(d, top) && dataDecides(d, job)) return ok(EIO);
  const c = copyInto(d, base);
  return c.ok ? ok(undefined) : c;
}

/** commit_prepare: unfreeze, drop the base backend, move commit_top's parents to the base, rewrite their headers. */
export function prepareCommit(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'commit') return ok(undefined);
  job.detail.frozen = false;
  removeBackends(d, job.bbs.slice(0, 1));
  const { filter: ct } = job;
  const { base } = job.detail;
  if (!chainContains(d, ct, base)) return ok(EIO);
  const explicitTop = skipImplicitFilters(d, ct);
  let inherits = false;
  for (let c: string | null = base; c !== null && !inherits; c = findNode(d, c)?.inheritsFrom ?? null) inherits = c === explicitTop;
  const overlays = d.edges.filter((e) => e.child === ct && e.role.kind === 'cow').map((e) => e.parent);
  const t = nested(d);
  const moved = seq(() => replaceNode(t, ct, base, false), () => checkGraph(t, [base, ct]));
  if (!moved.ok) return 'error' in moved ? ok(EIO) : moved;
  adopt(d, t);
  for (const p of overlays) {
    // the header is written through a temporarily writable overlay
    const ro = node(d, p).readOnly;
    const rw = ro ? setReadOnly(d, p, false) : OK;
    if (!rw.ok) return 'error' in rw ? ok(EIO) : rw;
    const w = seq(() => writeBackingName(d, p, base, job.detail.kind === 'commit' ? job.detail.backingFile : undefined), () => (ro ? setReadOnly(d, p, true) : OK));
    if (!w.ok) return w;
  }
  if (inherits) node(d, base).inheritsFrom = findNode(d, explicitTop)?.inheritsFrom ?? null;
  return ok(undefined);
}

/** commit_abort: commit_top goes again, its parents back on top; the job edges go now, not at dismiss. */
export function abortCommit(d: Draft, job: Job): Result {
  if (job.detail.kind !== 'commit') return OK;
  job.detail.frozen = false;
  removeBackends(d, job.bbs.slice(0, 1));
  removeJobEdges(d, job);
  const below = childEdges(d, job.filter)[0]?.child;
  return below === undefined ? OK : dropFilter(d, job.filter, below);
}

/** commit_clean: a read-only base goes back to read-only; the top backend goes. */
export function cleanCommit(d: Draft, job: Job): Result {
  if (job.detail.kind !== 'commit') return OK;
  const back = job.detail.baseWasRO && findNode(d, job.detail.base) ? setReadOnly(d, job.detail.base, true) : OK;
  removeBackends(d, job.bbs);
  return back.ok || 'error' in back ? OK : back;
}
