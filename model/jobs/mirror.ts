// blockdev-mirror and the mirror half of active commit (block/mirror.c): mirror_top above the source, a target
// BlockBackend, and at completion the replacement of the source (or `replaces`) by the target.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, nested } from '../draft.ts';
import type { Draft } from '../draft.ts';
import { dropFilter, removeBackends, removeNode, replaceNode } from '../edit.ts';
import { backingChainNext, canReplace, chainContains, chainNext, findNode, isRoot, lengthsOf, lookup, node, num, reaches, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { ALL, NONE, permSetOf, unionOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { fail, ignored, ok, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job } from '../state.ts';
import { truncate } from '../ops/nodes.ts';
import { copyInto, createJob, dataDecides, insertFilter, intermediateEdges, jobBackend, jobEdge, readsVote, removeJobEdges } from './job.ts';

const R = permSetOf('consistent-read');
const RWU = permSetOf('consistent-read', 'write', 'write-unchanged');
const EIO = 'Input/output error';

function checkGranularity(g: number): Result {
  if (g < 0 || g > 0xffffffff) return fail('invalid-param', "Parameter 'granularity' expects uint32_t");
  if (g !== 0 && (g < 512 || g > 64 << 20)) return fail('invalid-param', "Parameter 'granularity' expects a value in range [512B, 64MB]");
  return (g & (g - 1)) !== 0 ? fail('invalid-param', "Parameter 'granularity' expects a power of 2") : ok(undefined);
}

export function blockdevMirror(d: Draft, args: JsonObject): Result<Job> {
  const src = lookup(d, str(args, 'device'));
  if (!src.ok) return src;
  const device = src.value.name;
  if (!isRoot(d, device)) return fail('invalid-param', 'Need a root block node');
  const tgt = lookup(d, str(args, 'target'));
  if (!tgt.ok) return tgt;
  const target = tgt.value.name;
  const sync = !backingChainNext(d, device) && args['sync'] === 'top' ? 'full' : str(args, 'sync');
  const pre = seq(() => checkGranularity(num(args, 'granularity') ?? 0), () => notBlocked(d, device, 'mirror-source'), () => notBlocked(d, target, 'mirror-target'));
  if (!pre.ok) return pre;
  const below = skipImplicitFilters(d, device);
  const replaces = str(args, 'replaces') ?? (below !== device ? below : undefined);
  if (replaces !== undefined) {
    if (!findNode(d, replaces)) return fail('not-found', `Failed to find node with node-name='${replaces}'`);
    const busy = notBlocked(d, replaces, 'replace');
    if (!busy.ok) return busy;
    if (!canReplace(d, device, replaces)) return fail('invalid-param', `Cannot replace '${replaces}' by a node mirrored from '${device}', because it cannot be guaranteed that doing so would not lead to an abrupt change of visible data`);
    const lengths = lengthsOf(d, device, replaces);
    if (!lengths.ok) return lengths;
    if (lengths.value[0] !== lengths.value[1]) return fail('invalid-param', 'cannot replace image with a mirror image of different size');
  }
  if (sync === 'incremental' || sync === 'bitmap') return fail('invalid-param', `Sync mode '${sync}' not supported`);
  // a replacement that would close a loop is refused at start (7.2 accepts it and skips that parent at completion)
  const loop = d.edges.find((e) => e.child === (replaces ?? device) && reaches(d, target, e.parent));
  if (loop) return fail('cycle', `Replacing '${loop.child}' by '${target}' would create a loop: its parent '${loop.parent}' is below '${target}'`);
  if ((num(args, 'buf-size') ?? 0) < 0) return fail('invalid-param', "Invalid parameter 'buf-size'");
  return startMirror(d, args, device, target, replaces, { copies: sync !== 'none', grow: sync === 'top' && backingChainNext(d, device) === target });
}

/** mirror_start_job, for blockdev-mirror and active commit (the target is then in the source's chain); `grow`: the
 * target is the base of the copy and grows to the source's length first. */
export function startMirror(d: Draft, args: JsonObject, source: string, target: string, replaces: string | undefined, how: { copies: boolean; grow: boolean }): Result<Job> {
  if (skipFilters(d, source) === skipFilters(d, target)) return fail('invalid-param', "Can't mirror node into itself");
  const commit = chainContains(d, source, target);
  const inserted = insertFilter(d, args, 'mirror_top', source, { mirror: { commit, stopping: false } });
  if (!inserted.ok) return inserted;
  const mt = inserted.value;
  const job = createJob(d, args, { kind: 'mirror', target, replaces, ...how, shouldComplete: false }, mt, mt, R, RWU);
  if (!job.ok) return job;
  const j = job.value;
  const lengths = lengthsOf(d, target, source);
  if (!lengths.ok) return lengths;
  const [tl = 0, sl = 0] = lengths.value;
  const grow = commit && tl < sl ? permSetOf('resize') : NONE;
  if (!commit && chainContains(d, source, skipFilters(d, target) ?? target)) return fail('invalid-param', "Cannot mirror to a filter on top of a node in the source's backing chain");
  const edges = seq(
    () => jobBackend(d, j, target, unionOf(permSetOf('write'), grow), commit ? RWU : permSetOf('write-unchanged')),
    () => jobEdge(d, j, 'source', source, NONE, RWU),
    () => jobEdge(d, j, 'target', target, NONE, ALL),
    () => (commit ? intermediateEdges(d, j, source, chainNext(d, source), target) : ok(undefined)),
    () => (commit ? notFrozen(d, chainLinks(d, mt, target), mt) : ok(undefined)),
  );
  return edges.ok ? job : edges;
}

/** The node below mirror_top, and the node the target backend is on now (a replacement may have moved it). */
function ends(d: Draft, job: Job): { source: string; target: string } {
  const target = job.detail.kind === 'mirror' ? job.detail.target : '';
  return { source: chainNext(d, job.filter) ?? '', target: d.bbs.find((b) => b.id === job.bbs[0])?.child ?? target };
}

/** mirror_run to ready: the sizes must match (an active commit grows its base), then the first pass copies. */
export function runMirror(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'mirror') return ok(undefined);
  const { source, target } = ends(d, job);
  const lengths = lengthsOf(d, source, target);
  if (!lengths.ok) return lengths;
  const [have = 0, want = 0] = lengths.value;
  if (job.detail.grow && have > want) {
    const t = nested(d);
    const r = truncate(t, target, have);
    if (!r.ok) return 'error' in r ? ok(r.error.message) : r;
    adopt(d, t);
  } else if (!job.detail.grow && have !== want) {
    return ok('Source and target image have different sizes');
  }
  if (!job.detail.copies) return ok(undefined);
  // a read through a quorum fails where its children's data outvote each other
  if (readsVote(d, source) && dataDecides(d, job)) return ok(EIO);
  const c = copyInto(d, target);
  return c.ok ? ok(undefined) : c;
}

/** mirror_exit_common: release the target, replace if completing, drop mirror_top (which then forwards nothing). */
export function exitMirror(d: Draft, job: Job, abort: boolean): Result<string | undefined> {
  const mt = findNode(d, job.filter);
  if (job.detail.kind !== 'mirror' || !mt?.mirror) return ok(undefined);
  const { source, target } = ends(d, job);
  removeBackends(d, job.bbs);
  mt.mirror.stopping = true;
  let error: string | undefined;
  if (!abort && job.detail.shouldComplete) {
    const victim = job.detail.replaces ?? source;
    const old = findNode(d, victim);
    const ro = old && old.readOnly !== node(d, target).readOnly ? ignored(setReadOnly(d, target, old.readOnly)) : ok(undefined);
    if (!ro.ok) return ro;
    const t = nested(d);
    const replaced = old && canReplace(d, source, victim) ? seq(() => replaceNode(t, victim, target), () => checkGraph(t, [target, victim])) : undefined;
    if (replaced !== undefined && !replaced.ok && !('error' in replaced)) return replaced;
    if (replaced?.ok) adopt(d, t);
    else error = 'Operation not permitted';
  }
  removeJobEdges(d, job);
  // the replacement may have moved mirror_top itself onto the target
  const dropped = dropFilter(d, job.filter, chainNext(d, job.filter) ?? source);
  if (!dropped.ok) return dropped;
  removeNode(d, job.filter);
  return ok(error);
}
