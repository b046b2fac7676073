// blockdev-mirror and the mirror half of active commit (block/mirror.c): mirror_top above the source, a target
// BlockBackend, and at completion the replacement of the source (or `replaces`) by the target.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, draft, dropFilter, removeBackends, removeNode, replaceNode } from '../edit.ts';
import { backingChainNext, chainContains, chainNext, childEdges, copies, copyFails, filterChild, findNode, findOverlay, isRoot, lengthOf, lookup, node, num, parentCount, reaches, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { ALL, NONE, permSetOf, unionOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { fail, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, ModelState } from '../state.ts';
import { truncate } from '../ops/nodes.ts';
import { writeFirstChunk } from './mirror-first-pass.ts';
import { createJob, insertFilter, intermediateEdges, jobBackend, jobEdge, removeJobEdges } from './job.ts';

const R = permSetOf('consistent-read');
const RWU = permSetOf('consistent-read', 'write', 'write-unchanged');

/** bdrv_recurse_can_replace: may `r` be swapped for the target without changing what `n` shows? */
export function canReplace(d: ModelState, n: string, r: string): boolean {
  if (n === r) return true;
  const drv = node(d, n).driver;
  if (drv === 'quorum') return childEdges(d, n).some((e) => e.child === r) && parentCount(d, r) === 1;
  if (drv === 'blkverify') return childEdges(d, n).some((e) => (e.name === 'raw' || e.name === 'test') && canReplace(d, e.child, r));
  const f = filterChild(d, n);
  return f !== undefined && canReplace(d, f, r);
}

export function blockdevMirror(d: ModelState, args: JsonObject): Result<Job> {
  const src = lookup(d, str(args, 'device'));
  if (!src.ok) return src;
  const device = src.value.name;
  if (!isRoot(d, device)) return fail('invalid-param', 'Need a root block node');
  const tgt = lookup(d, str(args, 'target'));
  if (!tgt.ok) return tgt;
  const target = tgt.value.name;
  const g = num(args, 'granularity') ?? 0;
  if (g < 0 || g > 0xffffffff) return fail('invalid-param', "Parameter 'granularity' expects uint32_t");
  if (g !== 0 && (g < 512 || g > 64 << 20)) return fail('invalid-param', "Parameter 'granularity' expects a value in range [512B, 64MB]");
  if ((g & (g - 1)) !== 0) return fail('invalid-param', "Parameter 'granularity' expects a power of 2");
  const sync = !backingChainNext(d, device) && args['sync'] === 'top' ? 'full' : str(args, 'sync');
  const blocked = seq(
    () => notBlocked(d, device, 'mirror-source'),
    () => notBlocked(d, target, 'mirror-target'),
  );
  if (!blocked.ok) return blocked;
  const below = skipImplicitFilters(d, device);
  const replaces = str(args, 'replaces') ?? (below !== device ? below : undefined);
  if (replaces !== undefined) {
    if (!findNode(d, replaces)) return fail('not-found', `Failed to find node with node-name='${replaces}'`);
    const busy = notBlocked(d, replaces, 'replace');
    if (!busy.ok) return busy;
    if (!canReplace(d, device, replaces)) return fail('invalid-param', `Cannot replace '${replaces}' by a node mirrored from '${device}', because it cannot be guaranteed that doing so would not lead to an abrupt change of visible data`);
    if (lengthOf(d, device) !== lengthOf(d, replaces)) return fail('invalid-param', 'cannot replace image with a mirror image of different size');
  }
  if (sync === 'incremental' || sync === 'bitmap') return fail('invalid-param', `Sync mode '${sync}' not supported`);
  // fix mirror-prevent-loops: 7.2 accepts this and silently skips the loop-closing parent at completion (mirror-06)
  const loop = d.edges.find((e) => e.child === (replaces ?? device) && reaches(d, target, e.parent));
  if (loop) return fail('cycle', `Replacing '${loop.child}' by '${target}' would create a loop: its parent '${loop.parent}' is below '${target}'`);
  if ((num(args, 'buf-size') ?? 0) < 0) return fail('invalid-param', "Invalid parameter 'buf-size'");
  return startMirror(d, args, 'mirror', device, target, replaces, sync === 'top' ? backingChainNext(d, device) : undefined);
}

/** mirror_start_job. `base` is sync=top's base or the active commit's base. */
export function startMirror(d: ModelState, args: JsonObject, type: 'mirror' | 'commit', source: string, target: string, replaces: string | undefined, base: string | undefined): Result<Job> {
  if (skipFilters(d, source) === skipFilters(d, target)) return fail('invalid-param', "Can't mirror node into itself");
  const commit = chainContains(d, source, target);
  const inserted = insertFilter(d, args, 'mirror_top', source, { mirror: { commit, stopping: false } });
  if (!inserted.ok) return inserted;
  const mt = inserted.value;
  // sync=full (as asked: a top without backing is full but copies only what is allocated) zeroes the whole target
  const mode = type === 'commit' ? 'allocated' : args['sync'] === 'none' ? 'none' : args['sync'] === 'full' ? 'all' : 'allocated';
  const detail = { kind: 'mirror' as const, target, replaces, growTarget: base === target, shouldComplete: false, copy: { mode, base } as const };
  const job = createJob(d, args, type, detail, mt, mt, R, RWU);
  if (!job.ok) return job;
  const j = job.value;
  const grow = commit && lengthOf(d, target) < lengthOf(d, source) ? permSetOf('resize') : NONE;
  if (!commit && chainContains(d, source, skipFilters(d, target) ?? target)) return fail('invalid-param', "Cannot mirror to a filter on top of a node in the source's backing chain");
  const edges = seq(
    () => jobBackend(d, j, target, unionOf(permSetOf('write'), grow), commit ? permSetOf('consistent-read', 'write', 'write-unchanged') : permSetOf('write-unchanged')),
    () => jobEdge(d, j, 'source', source, NONE, RWU),
    () => jobEdge(d, j, 'target', target, NONE, ALL),
  );
  if (!edges.ok || !commit) return edges.ok ? job : edges;
  const f = seq(
    () => intermediateEdges(d, j, source, chainNext(d, source), target),
    () => notFrozen(d, chainLinks(d, mt, target), mt),
  );
  return f.ok ? job : f;
}

/** The node below mirror_top, and the node the target backend is on now (a replacement may have moved it). */
function ends(d: ModelState, job: Job & { kind: 'mirror' }): { source: string; target: string } {
  return { source: chainNext(d, job.filter) ?? '', target: d.bbs.find((b) => b.id === job.bbs[0])?.child ?? job.target };
}

/** mirror_run on empty images: ready at once, unless the sizes differ (the active commit grows its base) or the
 * first pass's read fails. */
export function runMirror(d: ModelState, job: Job): string | undefined {
  if (job.kind !== 'mirror') return undefined;
  const { source, target } = ends(d, job);
  const have = lengthOf(d, source);
  if (job.growTarget && have > lengthOf(d, target)) {
    const t = draft(d);
    const r = truncate(t, target, have);
    if (!r.ok) return r.error.message;
    adopt(d, t);
  } else if (!job.growTarget && have !== lengthOf(d, target)) {
    return 'Source and target image have different sizes';
  }
  const { mode, base } = job.copy;
  const last = base === undefined ? undefined : findOverlay(d, source, base);
  if (mode === 'none' || !copies(d, source, last, mode === 'all')) return undefined;
  if (copyFails(d, source)) return 'Input/output error';
  writeFirstChunk(d, source, target);
  return undefined;
}

/** mirror_exit_common: release the target, replace if completing, drop mirror_top (which then forwards nothing). */
export function exitMirror(d: ModelState, job: Job, abort: boolean): string | undefined {
  if (job.kind !== 'mirror') return undefined;
  const mt = findNode(d, job.filter);
  if (!mt?.mirror) return undefined;
  const { source, target } = ends(d, job);
  removeBackends(d, job.bbs);
  mt.mirror.stopping = true;
  let error: string | undefined;
  if (!abort && job.shouldComplete) {
    const victim = job.replaces ?? source;
    const old = findNode(d, victim);
    if (old && old.readOnly !== node(d, target).readOnly) setReadOnly(d, target, old.readOnly);
    const t = draft(d);
    const replaced = old && canReplace(d, source, victim) ? seq(() => replaceNode(t, victim, target), () => checkGraph(t, [target, victim])) : undefined;
    if (replaced?.ok) adopt(d, t);
    else error = 'Operation not permitted';
  }
  removeJobEdges(d, job);
  // the replacement may have moved mirror_top itself onto the target
  dropFilter(d, job.filter, chainNext(d, job.filter) ?? source);
  removeNode(d, job.filter);
  return error;
}
