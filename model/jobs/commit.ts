// block-commit (block/commit.c): an active commit is a mirror into the base; an intermediate one puts commit_top
// above `top`, freezes the chain and, at finalize, moves commit_top's parents to the base.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, chainNotBlocked, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, draft, dropFilter, removeBackends, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdges, filenameOf, findByFilename, headerName, findNode, findOverlay, isRoot, lengthOf, lookup, node, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { ALL, NONE, permSetOf } from '../perm-set.ts';
import { computePerms } from '../perms.ts';
import { setReadOnly } from '../reopen.ts';
import { FailedWithResidue, OK, fail, ok, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, ModelState } from '../state.ts';
import { truncate } from '../ops/nodes.ts';
import { createJob, insertFilter, intermediateEdges, jobBackend, jobEdge, removeJobEdges } from './job.ts';
import { startMirror } from './mirror.ts';

const EIO = 'Input/output error';

function resolve(d: ModelState, args: JsonObject, device: string): Result<{ top: string; base: string }> {
  if (args['top-node'] !== undefined && args['top'] !== undefined) return fail('invalid-param', "'top-node' and 'top' are mutually exclusive");
  if (args['base-node'] !== undefined && args['base'] !== undefined) return fail('invalid-param', "'base-node' and 'base' are mutually exclusive");
  const topFile = str(args, 'top');
  const byFile = topFile === undefined || filenameOf(d, device) === topFile ? device : findByFilename(d, device, topFile);
  if (byFile === undefined) return fail('not-found', `Top image file ${topFile ?? ''} not found`);
  const t = str(args, 'top-node') === undefined ? ok(node(d, byFile)) : lookup(d, str(args, 'top-node'), '');
  if (!t.ok) return t;
  const top = t.value.name;
  if (!chainContains(d, device, top)) return fail('invalid-param', `'${top}' is not in this backing file chain`);
  const baseFile = str(args, 'base');
  if (baseFile !== undefined) {
    const b = findByFilename(d, top, baseFile);
    return b === undefined ? fail('not-found', `Can't find '${baseFile}' in the backing chain`) : ok({ top, base: b });
  }
  if (str(args, 'base-node') === undefined) {
    const bottom = findOverlay(d, top, undefined);
    return bottom === undefined ? fail('not-found', 'There is no backimg image') : ok({ top, base: bottom });
  }
  const b = lookup(d, str(args, 'base-node'), '');
  if (!b.ok) return b;
  return chainContains(d, top, b.value.name) ? ok({ top, base: b.value.name }) : fail('invalid-param', `'${b.value.name}' is not in this backing file chain`);
}

export function blockCommit(d: ModelState, args: JsonObject): Result<Job> {
  const device = str(args, 'device') ?? '';
  if (!findNode(d, device)) return fail('not-found', `Device '${device}' not found`);
  if (!isRoot(d, device)) return fail('invalid-param', 'Need a root block node');
  const tb = seq(() => notBlocked(d, device, 'commit-source'));
  if (!tb.ok) return tb;
  const r = resolve(d, args, device);
  if (!r.ok) return r;
  const { top, base } = r.value;
  const blocked = chainNotBlocked(d, top, chainNext(d, base), 'commit-target');
  if (!blocked.ok) return blocked;
  if (top === base) return fail('invalid-param', 'cannot commit an image into itself');
  const active = skipFilters(d, top) === skipFilters(d, device);
  if (active || computePerms(d).cumulative(top).perm.includes('write')) {
    if (args['backing-file'] !== undefined) return fail('invalid-param', `'backing-file' specified, but '${top}' is the active layer`);
    const wasReadOnly = node(d, base).readOnly;
    const rw = wasReadOnly ? setReadOnly(d, base, false) : OK;
    if (!rw.ok) return rw;
    const reopened = wasReadOnly ? draft(d) : undefined;
    const started = startMirror(d, args, 'commit', top, base, undefined, base);
    if (started.ok || reopened === undefined) return started;
    // commit_active_start's error path reopens the base read-only anew (error ignored): not an undo, so it stays
    setReadOnly(reopened, base, true);
    throw new FailedWithResidue(started.error, reopened);
  }
  const overlay = findOverlay(d, device, top);
  const b = overlay === undefined ? OK : notBlocked(d, overlay, 'commit-target');
  return b.ok ? startCommit(d, args, device, top, base) : b;
}

/** commit_run: a shorter base grows to the top's length first; a driver that cannot resize fails the job. */
export function runCommit(d: ModelState, job: Job): string | undefined {
  if (job.kind !== 'commit') return undefined;
  const len = lengthOf(d, job.top);
  if (lengthOf(d, job.base) >= len) return undefined;
  const t = draft(d);
  if (!truncate(t, job.base, len).ok) return 'Operation not supported';
  adopt(d, t);
  return undefined;
}

/** commit_start: job, writable base, commit_top above top, job edges down to the base, frozen chain, two backends. */
function startCommit(d: ModelState, args: JsonObject, device: string, top: string, base: string): Result<Job> {
  if (skipFilters(d, top) === skipFilters(d, base)) return fail('invalid-param', 'Invalid files for merge: top and base are the same');
  // commit_top's name is handed out once the job exists and the base is writable
  const detail = { kind: 'commit' as const, top, base, baseWasRO: node(d, base).readOnly, backingFile: str(args, 'backing-file'), frozen: false };
  const job = createJob(d, args, 'commit', detail, '', device, NONE, ALL);
  if (!job.ok) return job;
  const j = job.value;
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
      if (j.kind === 'commit') j.frozen = true;
      return jobEdge(d, j, 'base', base, NONE, ALL);
    },
    () => jobBackend(d, j, base, permSetOf('consistent-read', 'write', ...(lengthOf(d, base) < lengthOf(d, top) ? (['resize'] as const) : [])), permSetOf('consistent-read', 'write-unchanged')),
    () => jobBackend(d, j, top, NONE, ALL),
  );
  return started.ok ? job : started;
}

/** commit_prepare: unfreeze, drop the base backend, move commit_top's parents to the base, rewrite their headers. */
export function prepareCommit(d: ModelState, job: Job): string | undefined {
  if (job.kind !== 'commit') return undefined;
  job.frozen = false;
  removeBackends(d, job.bbs.slice(0, 1));
  const { filter: ct, base } = job;
  if (!chainContains(d, ct, base)) return EIO;
  const explicitTop = skipImplicitFilters(d, ct);
  let inherits = false;
  for (let c: string | null = base; c !== null && !inherits; c = findNode(d, c)?.inheritsFrom ?? null) inherits = c === explicitTop;
  const overlays = d.edges.filter((e) => e.child === ct && e.role.kind === 'cow').map((e) => e.parent);
  const t = draft(d);
  const moved = seq(
    () => replaceNode(t, ct, base, false),
    () => checkGraph(t, [base, ct]),
  );
  if (!moved.ok) return EIO;
  adopt(d, t);
  for (const p of overlays) {
    // the header is written through a temporarily writable overlay
    const ro = node(d, p).readOnly;
    if (ro && !setReadOnly(d, p, false).ok) return EIO;
    const image = d.images[filenameOf(d, p) ?? ''];
    if (image) {
      Object.assign(image, { backingFile: job.backingFile ?? headerName(d, base), backingFormat: node(d, base).driver });
      Object.assign(node(d, p), { backingFile: image.backingFile, autoBacking: image.backingFile });
    }
    if (ro) setReadOnly(d, p, true);
  }
  if (inherits) node(d, base).inheritsFrom = findNode(d, explicitTop)?.inheritsFrom ?? null;
  return undefined;
}

/** commit_abort: commit_top goes again, its parents back on top; the job edges go now, not at dismiss. */
export function abortCommit(d: ModelState, job: Job): void {
  if (job.kind !== 'commit') return;
  job.frozen = false;
  removeBackends(d, job.bbs.slice(0, 1));
  removeJobEdges(d, job);
  const below = childEdges(d, job.filter)[0]?.child;
  if (below !== undefined) dropFilter(d, job.filter, below);
}

/** commit_clean: a read-only base goes back to read-only; the top backend and an orphaned commit_top go. */
export function cleanCommit(d: ModelState, job: Job): void {
  if (job.kind !== 'commit') return;
  if (job.baseWasRO && findNode(d, job.base)) setReadOnly(d, job.base, true);
  removeBackends(d, job.bbs);
}
