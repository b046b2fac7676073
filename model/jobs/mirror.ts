// blockdev-mirror and the mirror half of active commit (block/mirror.c): mirror_top above the source, a target
// BlockBackend, and at completion the replacement of the source (or `replaces`) by the target.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, notBlocked, notFrozen } from '../check.ts';
import type { Draft } from '../draft.ts';
import { removeBackends } from '../edit.ts';
import { backingChainNext, canReplace, chainContains, chainNext, findNode, isRoot, lengthsAgree, lengthsOf, lookup } from '../graph.ts';
import { node, num, reaches, skipFilters, skipImplicitFilters, str } from '../graph.ts';
import { ALL_PERMS, NO_PERMS, R, RWU, U, W } from '../../qmp/perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ignored, isRefusal, ok, seq, type Result } from '../result.ts';
import type { Job } from '../state.ts';
import { baseBackend, insertFilter, intermediate, startJob } from './job.ts';
import { dropJobFilter, removeJobEdges, replaced } from './job-end.ts';
import { copy, dataDecides, growAndCopy, votes } from './job-writes.ts';
import type { Detail, JobType } from './job.ts';


export function blockdevMirror(d: Draft, args: JsonObject): Result<Job> {
  const [src, tgt] = [lookup(d, str(args, 'device')), lookup(d, str(args, 'target'))];
  if (!src.ok) return src;
  if (!isRoot(d, src.value.name)) return fail('invalid-param', 'Need a root block node');
  if (!tgt.ok) return tgt;
  const [device, target, below] = [src.value.name, tgt.value.name, skipImplicitFilters(d, src.value.name)];
  const sync = backingChainNext(d, device) === undefined && args['sync'] === 'top' ? 'full' : str(args, 'sync');
  const replaces = str(args, 'replaces') ?? (below !== device ? below : undefined);
  // a replacement that would close a loop is refused at start (7.2 accepts it and skips that parent at completion)
  const loop = d.edges.find((e) => e.child === (replaces ?? device) && reaches(d, target, e.parent));
  // granularity's range is QAPI's to check ("Parameter 'granularity' expects ...", properties/compare)
  const checked = seq(
    () => notBlocked(d, device, 'mirror-source'),
    () => notBlocked(d, target, 'mirror-target'),
    ...(replaces === undefined ? [] : replaceable(d, device, replaces)),
    () => (sync === 'incremental' || sync === 'bitmap' ? fail('invalid-param', `Sync mode '${sync}' not supported`) : OK),
    () => (loop ? fail('cycle', `Replacing '${loop.child}' by '${target}' would create a loop: '${loop.parent}' is below '${target}'`) : OK),
    () => ((num(args, 'buf-size') ?? 0) < 0 ? fail('invalid-param', "Invalid parameter 'buf-size'") : OK),
  );
  const grow = sync === 'top' && backingChainNext(d, device) === target;
  return checked.ok ? startMirror(d, args, device, target, replaces, { copies: sync !== 'none', grow }) : checked;
}

/** A mirror may replace a node that exists, is free, shows what the source shows and has its size. */
const changes = 'the visible data could change';
const replaceable = (d: Draft, device: string, replaces: string): (() => Result)[] => [
  () => (findNode(d, replaces) ? OK : fail('not-found', `Failed to find node with node-name='${replaces}'`)),
  () => notBlocked(d, replaces, 'replace'),
  () => (canReplace(d, device, replaces) ? OK : fail('invalid-param', `Cannot replace '${replaces}' by a mirror of '${device}': ${changes}`)),
  () => lengthsAgree(d, fail('invalid-param', 'cannot replace image with a mirror image of different size'), device, replaces),
];

type Copying = { readonly copies: boolean; readonly grow: boolean };

/** mirror_start_job, for blockdev-mirror and active commit (the target is in the source's chain, which it freezes);
 * `grow`: the target is the copy's base and grows to the source's length first. */
export function startMirror(d: Draft, args: JsonObject, source: string, target: string, replaces: string | undefined, how: Copying): Result<Job> {
  if (skipFilters(d, source) === skipFilters(d, target)) return fail('invalid-param', "Can't mirror node into itself");
  const commit = chainContains(d, source, target);
  const onTop = "Cannot mirror to a filter on top of a node in the source's backing chain";
  const onChain = chainContains(d, source, skipFilters(d, target) ?? target) ? fail('invalid-param', onTop) : OK;
  return startJob(d, args, {
    ...{ detail: { kind: 'mirror', target, replaces, ...how, shouldComplete: false }, freezes: commit ? target : undefined },
    filter: (t) => insertFilter(t, args, 'mirror_top', source, { mirror: { commit, stopping: false } }),
    steps: (mt) => [
      ['main node', mt, R, RWU],
      ...(commit ? baseBackend(d, target, source, W, RWU) : [onChain, ['backend', target, W, U] as const]),
      ['source', source, NO_PERMS, RWU],
      ['target', target, NO_PERMS, ALL_PERMS],
      ...(commit ? intermediate(d, source, chainNext(d, source), target) : []),
      ...(commit ? [notFrozen(d, chainLinks(d, mt, target), mt)] : []),
    ],
  });
}

/** The node below mirror_top, and the node the target backend is on now (a replacement may have moved it). */
const ends = (d: Draft, job: Job, x: Detail<'mirror'>): { source: string; target: string } => ({
  source: chainNext(d, job.filter) ?? '',
  target: d.bbs.find((b) => b.id === job.bbs[0])?.child ?? x.target,
});

/** mirror_exit_common: release the target, replace if completing, drop mirror_top (which then forwards nothing). */
function exit(d: Draft, job: Job, x: Detail<'mirror'>, complete: boolean): Result<string | undefined> {
  const mt = findNode(d, job.filter);
  if (!mt?.mirror) return ok(undefined);
  const { source, target } = ends(d, job, x);
  removeBackends(d, job.bbs);
  [mt.mirror.stopping, job.freezesTo] = [true, undefined];
  const [victim, done] = [x.replaces ?? source, complete && x.shouldComplete];
  const old = done ? findNode(d, victim) : undefined;
  // the target takes the replaced node's read-only flag first (a failure is ignored)
  const ro = old && old.readOnly !== node(d, target).readOnly ? ignored(setReadOnly(d, target, old.readOnly)) : OK;
  const swapped = !ro.ok ? ro : !done ? OK : old && canReplace(d, source, victim) ? replaced(d, victim, target) : fail('in-use', '');
  if (!swapped.ok && !isRefusal(swapped)) return swapped;
  removeJobEdges(d, job);
  // the replacement may have moved mirror_top itself onto the target
  const dropped = dropJobFilter(d, job);
  return dropped.ok ? ok(swapped.ok ? undefined : 'Operation not permitted') : dropped;
}

export const MIRROR: JobType<Detail<'mirror'>> = {
  waits: true,
  /** mirror_run to ready: the sizes must match (an active commit grows its base first), then the first pass copies. */
  run: (d, job, x) => {
    const { source, target } = ends(d, job, x);
    if (x.grow) return growAndCopy(d, job, source, target);
    const lengths = lengthsOf(d, source, target);
    // one failure per job is tried, so a vote that may fail too is not judged
    if (!lengths.ok && votes(d, source)) return lengths;
    // sizes the model does not follow may match or not: apply runs the job both ways
    if (lengths.ok ? lengths.value[0] !== lengths.value[1] : dataDecides(d, job, true)) return ok('Source and target image have different sizes');
    return x.copies ? copy(d, job, target, votes(d, source)) : ok(undefined);
  },
  prepare: (d, job, x) => exit(d, job, x, true),
  abort: (d, job, x) => exit(d, job, x, false),
};
