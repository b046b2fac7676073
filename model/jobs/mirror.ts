// blockdev-mirror and the mirror half of active commit (block/mirror.c): mirror_top above the source, a target
// BlockBackend, and at completion the replacement of the source (or `replaces`) by the target.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, checkGraph, notBlocked, notFrozen } from '../check.ts';
import { adopt, nested } from '../draft.ts';
import type { Draft } from '../draft.ts';
import { dropFilter, removeBackends, removeNode, replaceNode } from '../edit.ts';
import { backingChainNext, canReplace, chainContains, chainNext, findNode, isRoot, lengthsAgree, lengthsOf, lookup, node, num, reaches, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { truncate } from '../ops/nodes.ts';
import { ALL, NONE, permSetOf, unionOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { asJobError, fail, ignored, isRefusal, ok, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job } from '../state.ts';
import { copyInto, createJob, dataDecides, insertFilter, intermediateEdges, jobEdge, removeJobEdges, votes } from './job.ts';

const RWU = permSetOf('consistent-read', 'write', 'write-unchanged');

export function blockdevMirror(d: Draft, args: JsonObject): Result<Job> {
  const src = lookup(d, str(args, 'device'));
  if (!src.ok) return src;
  if (!isRoot(d, src.value.name)) return fail('invalid-param', 'Need a root block node');
  const tgt = lookup(d, str(args, 'target'));
  if (!tgt.ok) return tgt;
  const [device, target] = [src.value.name, tgt.value.name];
  const sync = backingChainNext(d, device) === undefined && args['sync'] === 'top' ? 'full' : str(args, 'sync');
  // granularity's range is QAPI's to check ("Parameter 'granularity' expects ...", properties/compare)
  const pre = seq(() => notBlocked(d, device, 'mirror-source'), () => notBlocked(d, target, 'mirror-target'));
  if (!pre.ok) return pre;
  const below = skipImplicitFilters(d, device);
  const replaces = str(args, 'replaces') ?? (below !== device ? below : undefined);
  if (replaces !== undefined) {
    if (!findNode(d, replaces)) return fail('not-found', `Failed to find node with node-name='${replaces}'`);
    const busy = notBlocked(d, replaces, 'replace');
    if (!busy.ok) return busy;
    if (!canReplace(d, device, replaces)) return fail('invalid-param', `Cannot replace '${replaces}' by a node mirrored from '${device}': the visible data could change`);
    const same = lengthsAgree(d, fail('invalid-param', 'cannot replace image with a mirror image of different size'), device, replaces);
    if (!same.ok) return same;
  }
  if (sync === 'incremental' || sync === 'bitmap') return fail('invalid-param', `Sync mode '${sync}' not supported`);
  // a replacement that would close a loop is refused at start (7.2 accepts it and skips that parent at completion)
  const loop = d.edges.find((e) => e.child === (replaces ?? device) && reaches(d, target, e.parent));
  if (loop) return fail('cycle', `Replacing '${loop.child}' by '${target}' would create a loop: its parent '${loop.parent}' is below '${target}'`);
  if ((num(args, 'buf-size') ?? 0) < 0) return fail('invalid-param', "Invalid parameter 'buf-size'");
  return startMirror(d, args, device, target, replaces, { copies: sync !== 'none', grow: sync === 'top' && backingChainNext(d, device) === target });
}

/** mirror_start_job, for blockdev-mirror and active commit (the target is in the source's chain); `grow`: the target
 * is the copy's base and grows to the source's length first. */
export function startMirror(d: Draft, args: JsonObject, source: string, target: string, replaces: string | undefined, how: { copies: boolean; grow: boolean }): Result<Job> {
  if (skipFilters(d, source) === skipFilters(d, target)) return fail('invalid-param', "Can't mirror node into itself");
  const commit = chainContains(d, source, target);
  const mt = insertFilter(d, args, 'mirror_top', source, { mirror: { commit, stopping: false } });
  const job = mt.ok ? createJob(d, args, { kind: 'mirror', target, replaces, ...how, shouldComplete: false }, mt.value, mt.value, permSetOf('consistent-read'), RWU) : mt;
  // only an active commit's perms depend on the lengths (the base's backend resizes a shorter base)
  const lengths = commit ? lengthsOf(d, target, source) : ok([0, 0]);
  if (!job.ok) return job;
  if (!lengths.ok) return lengths;
  const [j, [tl = 0, sl = 0]] = [Object.assign(job.value, { freezesTo: commit ? target : undefined }), lengths.value];
  if (!commit && chainContains(d, source, skipFilters(d, target) ?? target)) return fail('invalid-param', "Cannot mirror to a filter on top of a node in the source's backing chain");
  const edges = seq(
    () => jobEdge(d, j, 'backend', target, unionOf(permSetOf('write'), commit && tl < sl ? permSetOf('resize') : NONE), commit ? RWU : permSetOf('write-unchanged')),
    () => jobEdge(d, j, 'source', source, NONE, RWU),
    () => jobEdge(d, j, 'target', target, NONE, ALL),
    () => (commit ? seq(() => intermediateEdges(d, j, source, chainNext(d, source), target), () => notFrozen(d, chainLinks(d, j.filter, target), j.filter)) : ok(undefined)),
  );
  return edges.ok ? job : edges;
}

/** The node below mirror_top, and the node the target backend is on now (a replacement may have moved it). */
function ends(d: Draft, job: Job): { source: string; target: string } {
  const target = job.detail.kind === 'mirror' ? job.detail.target : '';
  return { source: chainNext(d, job.filter) ?? '', target: d.bbs.find((b) => b.id === job.bbs[0])?.child ?? target };
}

/** mirror_run to ready: the sizes must match (an active commit grows its base first), then the first pass copies. */
export function runMirror(d: Draft, job: Job): Result<string | undefined> {
  const { source, target } = ends(d, job);
  const lengths = lengthsOf(d, source, target);
  if (job.detail.kind !== 'mirror') return ok(undefined);
  // a grown base needs the lengths; one failure per job is tried, so a vote that may fail too is not judged
  if (!lengths.ok && (job.detail.grow || votes(d, source))) return lengths;
  // sizes the model does not follow may match or not: apply runs the job both ways
  const [have = 0, want = 0] = lengths.ok ? lengths.value : [0, dataDecides(d, job, true) ? 1 : 0];
  if (!job.detail.grow && have !== want) return ok('Source and target image have different sizes');
  const t = nested(d);
  const grown = have > want ? truncate(t, target, have) : ok(undefined);
  if (!grown.ok) return asJobError(grown);
  adopt(d, t);
  if (!job.detail.copies) return ok(undefined);
  return dataDecides(d, job, votes(d, source)) ? ok('Input/output error') : asJobError(copyInto(d, target));
}

/** mirror_exit_common: release the target, replace if completing, drop mirror_top (which then forwards nothing). */
export function exitMirror(d: Draft, job: Job, abort: boolean): Result<string | undefined> {
  const mt = findNode(d, job.filter);
  if (job.detail.kind !== 'mirror' || !mt?.mirror) return ok(undefined);
  const { source, target } = ends(d, job);
  removeBackends(d, job.bbs);
  [mt.mirror.stopping, job.freezesTo] = [true, undefined];
  let error: string | undefined;
  if (!abort && job.detail.shouldComplete) {
    const victim = job.detail.replaces ?? source;
    const old = findNode(d, victim);
    // the target takes the replaced node's read-only flag first (a failure is ignored)
    const ro = old && old.readOnly !== node(d, target).readOnly ? ignored(setReadOnly(d, target, old.readOnly)) : ok(undefined);
    if (!ro.ok) return ro;
    const t = nested(d);
    const replaced = old && canReplace(d, source, victim) ? seq(() => replaceNode(t, victim, target), () => checkGraph(t, [target, victim])) : fail('in-use', '');
    if (!replaced.ok && !isRefusal(replaced)) return replaced;
    if (replaced.ok) adopt(d, t);
    else error = 'Operation not permitted';
  }
  removeJobEdges(d, job);
  // the replacement may have moved mirror_top itself onto the target
  const dropped = dropFilter(d, job.filter, chainNext(d, job.filter) ?? source);
  if (!dropped.ok) return dropped;
  removeNode(d, job.filter);
  return ok(error);
}
