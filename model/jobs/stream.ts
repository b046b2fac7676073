// block-stream (block/stream.c): a copy-on-read filter takes the device's place; at finalize the device's backing
// becomes the base and the filter goes.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, checkGraph, notBlocked, notFrozen } from '../check.ts';
import type { Draft } from '../draft.ts';
import { attach, detach } from '../edit.ts';
import { chainContains, chainNext, childEdge, cowChild, findOverlay, isFilter, lengthOf, lookup, node, skipFilters, str } from '../graph.ts';
import { openNode } from '../open.ts';
import { COW_ROLE, FILTERED } from '../perm-rules.ts';
import { ALL_PERMS, NO_PERMS, R, RU, RWU } from '../../qmp/perm-set.ts';
import { fail, isRefusal, ok, unjudged, type Result } from '../result.ts';
import type { Job } from '../state.ts';
import { chain, startJob, type Detail, type JobType } from './job.ts';
import { dropJobFilter, inNested, replaced } from './job-end.ts';
import { copy, votes, writeBackingName } from './job-writes.ts';

/** A node in the device's chain, named by `key`: not found, not in the chain, or (bottom) a filter are refused. */
function inChain(d: Draft, args: JsonObject, key: 'base-node' | 'bottom', device: string): Result<string | undefined> {
  const n = args[key] === undefined ? undefined : lookup(d, str(args, key), '');
  if (n === undefined || !n.ok) return n ?? ok(undefined);
  const name = n.value.name;
  if (key === 'bottom' && isFilter(n.value)) return fail('invalid-param', `Node '${name}' is a filter, use a non-filter node as 'bottom'`);
  const found = (key === 'bottom' || name !== device) && chainContains(d, device, name);
  return found ? ok(name) : fail('invalid-param', `Node '${name}' is not in the chain of '${device}'`);
}

/** stream_start: the device writable (the chain held meanwhile), a copy-on-read filter in its place, its `bottom` the
 * base's overlay, the job's edges down to the node directly above the base. */
export function blockStream(d: Draft, args: JsonObject): Result<Job> {
  const has = (k: string): boolean => args[k] !== undefined;
  const both = [['base', 'base-node'], ['base', 'bottom'], ['bottom', 'base-node']].find(([a = '', b = '']) => has(a) && has(b));
  if (both) return fail('invalid-param', `'${both[0] ?? ''}' and '${both[1] ?? ''}' cannot be specified at the same time`);
  const dev = lookup(d, str(args, 'device'));
  if (!dev.ok || has('base')) return dev.ok ? unjudged('file-name') : dev;
  const device = dev.value.name;
  const [b, bt] = [inChain(d, args, 'base-node', device), inChain(d, args, 'bottom', device)];
  if (!b.ok) return b;
  if (!bt.ok) return bt;
  const [base, bottom] = [b.value, bt.value];
  const blocked = notBlocked(d, device, 'stream', { end: bottom === undefined ? base : chainNext(d, bottom) });
  if (!blocked.ok) return blocked;
  if (base === undefined && has('backing-file')) return fail('invalid-param', 'backing file specified, but streaming the entire chain');
  const overlay = bottom ?? findOverlay(d, device, base);
  if (overlay === undefined) return fail('invalid-param', `'${base ?? ''}' is not in the backing chain of '${device}'`);
  const [above, name] = [bottom ?? chain(d, overlay, base).at(-1) ?? overlay, str(args, 'filter-node-name')];
  const cor = (t: Draft): Result<string> => {
    const made = openNode(t, { driver: 'copy-on-read', file: device, bottom: overlay, ...(name === undefined ? {} : { 'node-name': name }) });
    if (made.ok) node(t, made.value).implicit = name === undefined;
    const moved = made.ok ? replaced(t, device, made.value) : made;
    return moved.ok ? made : moved;
  };
  const [detail, shared] = [{ kind: 'stream', device, aboveBase: above } as const, RU];
  return startJob(d, args, {
    ...{ detail, writable: { node: device, held: chainLinks(d, device, above), residue: true }, filter: cor },
    steps: (f) => [
      ...[['main node', f, NO_PERMS, ALL_PERMS], ['backend', f, R, RWU], ['active node', device, NO_PERMS, RWU]] as const,
      ...chain(d, chainNext(d, device), chainNext(d, above)).map((n) => ['intermediate node', n, NO_PERMS, shared] as const),
    ],
  });
}

/** stream_prepare: the filter goes; the device's backing becomes what was below the streamed part, and its header says
 * so even when the link could not change. */
function prepare(d: Draft, job: Job, { device, aboveBase }: Detail<'stream'>): Result<string | undefined> {
  const [dropped, unfiltered] = [dropJobFilter(d, job), skipFilters(d, device)];
  if (!dropped.ok || unfiltered === undefined || cowChild(d, unfiltered) === undefined) return dropped.ok ? ok(undefined) : dropped;
  const [base, role] = [chainNext(d, aboveBase), isFilter(node(d, unfiltered)) ? FILTERED : COW_ROLE];
  const set = inNested(d, (t) => {
    const old = childEdge(t, unfiltered, 'backing');
    const frozen = notFrozen(t, old ? [old] : []);
    if (frozen.ok && old) detach(t, old);
    const linked = frozen.ok && base !== undefined ? attach(t, unfiltered, base, 'backing', role) : frozen;
    return linked.ok ? checkGraph(t, old ? [unfiltered, old.child] : [unfiltered]) : linked;
  });
  if (!set.ok && !isRefusal(set)) return set;
  const w = writeBackingName(d, unfiltered, skipFilters(d, base));
  return w.ok ? ok(set.ok ? undefined : 'Operation not permitted') : w;
}

export const STREAM: JobType<Detail<'stream'>> = {
  /** stream_run: copies what the chain below the device holds down to the base's overlay (the filter's `bottom`).
   * Whether a chunk reaches past a shorter device's end (EIO) depends on what is allocated where, as does a vote. */
  run: (d, job, x) => {
    const [unfiltered, overlay] = [skipFilters(d, x.device), str(node(d, job.filter).opts, 'bottom')];
    if (unfiltered === undefined || unfiltered === overlay) return ok(undefined);
    const [from, device] = [cowChild(d, unfiltered), lengthOf(d, x.device) ?? 0];
    // the first chunk is sized by the chain below, the read by the device: past its end it fails (EIO)
    const longer = chain(d, from, overlay && chainNext(d, overlay)).some((n) => (lengthOf(d, n) ?? Infinity) > device);
    const past = Math.min(512 * 1024, lengthOf(d, unfiltered) ?? Infinity) > device && longer;
    return copy(d, job, unfiltered, from !== undefined && (past || votes(d, from)));
  },
  prepare,
  abort: dropJobFilter,
  // stream_clean releases them (7.2 keeps them until dismiss, one on the freed filter)
  releasesEdges: true,
};
