// block-commit (block/commit.c): an active commit is a mirror into the base; an intermediate one puts commit_top
// above `top`, freezes the chain and, at finalize, moves commit_top's parents to the base.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, notBlocked, notFrozen } from '../check.ts';
import { draftPerms, type Draft } from '../draft.ts';
import { removeBackends } from '../edit.ts';
import { chainContains, chainNext, findNode, findOverlay, isRoot, lookup, node, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { ALL_PERMS, NO_PERMS, permSet } from '../../qmp/perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, asJobError, fail, ignored, ok, seq, unjudged, type Refusal, type Result } from '../result.ts';
import type { Job } from '../state.ts';
import { baseBackend, insertFilter, intermediate, startJob } from './job.ts';
import { dropJobFilter, removeJobEdges, replaced } from './job-end.ts';
import { growAndCopy, writeBackingName } from './job-writes.ts';
import type { Detail, JobType } from './job.ts';
import { startMirror } from './mirror.ts';

/** `top-node` (default: the device) and `base-node` (default: the chain's bottom); file names are the deprecated forms. */
function resolve(d: Draft, args: JsonObject, device: string): Result<{ top: string; base: string }> {
  if (args['top-node'] !== undefined && args['top'] !== undefined) return fail('invalid-param', "'top-node' and 'top' are mutually exclusive");
  if (args['base-node'] !== undefined && args['base'] !== undefined) return fail('invalid-param', "'base-node' and 'base' are mutually exclusive");
  if (args['top'] !== undefined || args['base'] !== undefined) return unjudged('file-name');
  const outside = (n: string): Refusal => fail('invalid-param', `'${n}' is not in this backing file chain`);
  const t = lookup(d, str(args, 'top-node') ?? device, '');
  if (!t.ok || !chainContains(d, device, t.value.name)) return t.ok ? outside(t.value.name) : t;
  const [top, bottom] = [t.value.name, findOverlay(d, t.value.name, undefined)];
  if (str(args, 'base-node') === undefined) return bottom === undefined ? fail('not-found', 'There is no backimg image') : ok({ top, base: bottom });
  const b = lookup(d, str(args, 'base-node'), '');
  if (!b.ok || !chainContains(d, top, b.value.name)) return b.ok ? outside(b.value.name) : b;
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
    const rw = node(d, base).readOnly ? setReadOnly(d, base, false, true) : undefined;
    if (rw !== undefined && !rw.ok) return rw;
    if (rw !== undefined) d.madeWritable.push(base);
    return startMirror(d, args, top, base, undefined, { copies: true, grow: true });
  }
  const overlay = findOverlay(d, device, top);
  const b = overlay === undefined ? OK : notBlocked(d, overlay, 'commit-target');
  const same = fail('invalid-param', 'Invalid files for merge: top and base are the same');
  if (!b.ok || skipFilters(d, top) === skipFilters(d, base)) return b.ok ? same : b;
  // commit_start: a writable base, commit_top above top, job edges down to the base, two backends
  return startJob(d, args, {
    ...{ detail: { kind: 'commit', top, base }, writable: { node: base, residue: false }, freezes: base },
    filter: (t) => insertFilter(t, args, 'commit_top', top, { readOnly: true }),
    steps: (ct) => [
      ['main node', device, NO_PERMS, ALL_PERMS],
      ...intermediate(d, top, top, base),
      notFrozen(d, chainLinks(d, ct, base), ct),
      ['base', base, NO_PERMS, ALL_PERMS],
      ...baseBackend(d, base, top, permSet('consistent-read', 'write'), permSet('consistent-read', 'write-unchanged')),
      ['backend', top, NO_PERMS, ALL_PERMS],
    ],
  });
}

export const COMMIT: JobType<Detail<'commit'>> = {
  // commit_run: what is above the base is copied into it
  run: (d, job, { top, base }) => growAndCopy(d, job, top, base, 'Operation not supported'),
  /** commit_prepare: unfreeze, drop the base backend, commit_top's parents to the base, their headers rewritten writable. */
  prepare: (d, job, { base }) => {
    const ct = job.filter;
    job.freezesTo = undefined;
    removeBackends(d, job.bbs.slice(0, 1));
    const explicitTop = skipImplicitFilters(d, ct);
    const inherits = (c: string | null): boolean => c !== null && (c === explicitTop || inherits(findNode(d, c)?.inheritsFrom ?? null));
    const [fromTop, overlays] = [inherits(base), d.edges.filter((e) => e.child === ct && e.role.kind === 'cow').map((e) => e.parent)];
    const moved = replaced(d, ct, base, false);
    if (!moved.ok) return asJobError(moved, 'Input/output error');
    for (const p of overlays) {
      const ro = node(d, p).readOnly;
      const rw = ro ? setReadOnly(d, p, false) : OK;
      if (!rw.ok) return asJobError(rw, 'Input/output error');
      const w = seq(() => writeBackingName(d, p, base), () => (ro ? ignored(setReadOnly(d, p, true)) : OK));
      if (!w.ok) return w;
    }
    if (fromTop) node(d, base).inheritsFrom = findNode(d, explicitTop)?.inheritsFrom ?? null;
    return ok(undefined);
  },
  /** commit_abort: commit_top goes again, its parents back on top; the job edges go now, not at dismiss. */
  abort: (d, job) => {
    job.freezesTo = undefined;
    removeBackends(d, job.bbs.slice(0, 1));
    removeJobEdges(d, job);
    return dropJobFilter(d, job);
  },
};
