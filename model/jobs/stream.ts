// block-stream (block/stream.c): a copy-on-read filter takes the device's place; at finalize the device's backing
// becomes the base and the filter goes.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, chainNotBlocked, checkGraph, notFrozen } from '../check.ts';
import { adopt, nested } from '../draft.ts';
import type { Draft } from '../draft.ts';
import { attach, detach, dropFilter, removeBackends, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdge, cowChild, filterChild, findByFilename, findNode, findOverlay, isFilter, lengthOf, lookup, node, skipFilters, str } from '../graph.ts';
import { openNode } from '../open.ts';
import { COW_ROLE, FILTERED } from '../perm-rules.ts';
import { ALL, NONE, permSetOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { OK, fail, ignored, ok, reword, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job } from '../state.ts';
import { copyInto, createJob, dataDecides, jobBackend, jobEdge, readsVote, removeJobEdges, writeBackingName } from './job.ts';

const RU = permSetOf('consistent-read', 'write-unchanged');
const RWU = permSetOf('consistent-read', 'write', 'write-unchanged');
/** block/stream.c's STREAM_CHUNK. */
const STREAM_CHUNK = 512 * 1024;

export function blockStream(d: Draft, args: JsonObject): Result<Job> {
  const has = (k: string): boolean => args[k] !== undefined;
  for (const [a, b] of [['base', 'base-node'], ['base', 'bottom'], ['bottom', 'base-node']] as const) {
    if (has(a) && has(b)) return fail('invalid-param', `'${a}' and '${b}' cannot be specified at the same time`);
  }
  const dev = lookup(d, str(args, 'device'));
  if (!dev.ok) return dev;
  const device = dev.value.name;
  const byName = has('base') ? findByFilename(d, device, str(args, 'base') ?? '') : ok(undefined);
  if (!byName.ok) return byName;
  let base = byName.value;
  if (has('base') && base === undefined) return fail('not-found', `Can't find '${str(args, 'base') ?? ''}' in the backing chain`);
  let bottom: string | undefined;
  if (has('base-node')) {
    const b = lookup(d, str(args, 'base-node'), '');
    if (!b.ok) return b;
    base = b.value.name;
    if (base === device || !chainContains(d, device, base)) return fail('invalid-param', `Node '${base}' is not a backing image of '${device}'`);
  }
  if (has('bottom')) {
    const b = lookup(d, str(args, 'bottom'), '');
    if (!b.ok) return b;
    bottom = b.value.name;
    if (isFilter(b.value)) return fail('invalid-param', `Node '${bottom}' is a filter, use a non-filter node as 'bottom'`);
    if (!chainContains(d, device, bottom)) return fail('invalid-param', `Node '${bottom}' is not in a chain starting from '${device}'`);
  }
  const blocked = chainNotBlocked(d, device, bottom === undefined ? base : chainNext(d, bottom), 'stream');
  if (!blocked.ok) return blocked;
  if (base === undefined && has('backing-file')) return fail('invalid-param', 'backing file specified, but streaming the entire chain');
  return startStream(d, args, device, base, bottom);
}

/** stream_start: the device writable, the filter above it, the job's edges down to above the base. */
function startStream(d: Draft, args: JsonObject, device: string, base: string | undefined, bottom: string | undefined): Result<Job> {
  const overlay = bottom ?? findOverlay(d, device, base);
  if (overlay === undefined) return fail('invalid-param', `'${base ?? ''}' is not in the backing chain of '${device}'`);
  let above = overlay;
  if (bottom === undefined && cowChild(d, overlay) !== base) {
    above = cowChild(d, overlay) ?? overlay;
    for (let f = filterChild(d, above); f !== undefined && f !== base; f = filterChild(d, above)) above = f;
  }
  const wasRO = node(d, device).readOnly;
  // the chain is held while the device is reopened read-write
  const rw = wasRO ? seq(() => notFrozen(d, chainLinks(d, device, above)), () => setReadOnly(d, device, false)) : OK;
  if (!rw.ok) return rw;
  const name = str(args, 'filter-node-name');
  const cor = reword(openNode(d, { driver: 'copy-on-read', file: device, bottom: overlay, ...(name === undefined ? {} : { 'node-name': name }) }), (m) => `Could not create node: ${m}`);
  if (!cor.ok) return cor;
  node(d, cor.value).implicit = name === undefined;
  const moved = seq(() => replaceNode(d, device, cor.value), () => checkGraph(d, [cor.value, device]));
  if (!moved.ok) return moved;
  const detail = { kind: 'stream' as const, device, aboveBase: above, deviceWasRO: wasRO, backingFile: str(args, 'backing-file') };
  const job = createJob(d, args, detail, cor.value, cor.value, NONE, ALL);
  if (!job.ok) return job;
  const j = job.value;
  const below = chainNext(d, above);
  const started = seq(
    () => jobBackend(d, j, cor.value, permSetOf('consistent-read'), RWU),
    () => jobEdge(d, j, 'active node', device, NONE, RWU),
    () => {
      for (let iter = chainNext(d, device); iter !== undefined && iter !== below; iter = chainNext(d, iter)) {
        const e = jobEdge(d, j, 'intermediate node', iter, NONE, RU);
        if (!e.ok) return e;
      }
      return OK;
    },
  );
  return started.ok ? job : started;
}

/** stream_run: copies what the chain below the device holds, down to the base's overlay (the filter's `bottom`).
 * Whether a chunk reaches past a shorter device's end (EIO) depends on what is allocated where, as does a vote. */
export function runStream(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'stream') return ok(undefined);
  const unfiltered = skipFilters(d, job.detail.device);
  const overlay = str(node(d, job.filter).opts, 'bottom');
  if (unfiltered === undefined || unfiltered === overlay) return ok(undefined);
  const from = cowChild(d, unfiltered);
  const device = lengthOf(d, job.detail.device) ?? 0;
  const chunk = Math.min(STREAM_CHUNK, lengthOf(d, unfiltered) ?? Infinity);
  let longer = false;
  for (let n = from; n !== undefined; n = n === overlay ? undefined : chainNext(d, n)) longer ||= (lengthOf(d, n) ?? Infinity) > device;
  const mayFail = (chunk > device && longer) || (from !== undefined && readsVote(d, from));
  if (mayFail && dataDecides(d, job)) return ok('Input/output error');
  const c = copyInto(d, unfiltered);
  return c.ok ? ok(undefined) : c;
}

/** bdrv_cor_filter_drop: unfreeze, the filter's parents go back down, its link is cut. */
function dropCor(d: Draft, job: Job): Result {
  const cor = findNode(d, job.filter);
  const below = filterChild(d, job.filter);
  if (!cor || cor.opts['bottom'] === undefined || below === undefined) return OK;
  const { bottom: _, ...opts } = cor.opts;
  cor.opts = opts;
  return dropFilter(d, job.filter, below, true);
}

/** stream_prepare: the device's backing becomes what was below the streamed part, and its header says so. */
export function prepareStream(d: Draft, job: Job): Result<string | undefined> {
  if (job.detail.kind !== 'stream') return ok(undefined);
  const dropped = dropCor(d, job);
  if (!dropped.ok) return dropped;
  const unfiltered = skipFilters(d, job.detail.device);
  if (unfiltered === undefined || cowChild(d, unfiltered) === undefined) return ok(undefined);
  const base = chainNext(d, job.detail.aboveBase);
  const t = nested(d);
  const old = childEdge(t, unfiltered, 'backing');
  const set = seq(
    () => notFrozen(t, old ? [old] : []),
    () => {
      if (old) detach(t, old);
      return base === undefined ? OK : attach(t, unfiltered, base, 'backing', isFilter(node(t, unfiltered)) ? FILTERED : COW_ROLE);
    },
    () => checkGraph(t, old ? [unfiltered, old.child] : [unfiltered]),
  );
  if (set.ok) adopt(d, t);
  else if (!('error' in set)) return set;
  // the header is rewritten whether or not the backing link could change
  const w = writeBackingName(d, unfiltered, skipFilters(d, base), job.detail.backingFile);
  return w.ok ? ok(set.ok ? undefined : 'Operation not permitted') : w;
}

/** stream_clean: drop the filter if still there, the backend, the device's writability, and the job's edges (7.2
 * keeps those until dismiss, one on the freed filter). */
export function cleanStream(d: Draft, job: Job): Result {
  if (job.detail.kind !== 'stream') return OK;
  const dropped = dropCor(d, job);
  if (!dropped.ok) return dropped;
  removeBackends(d, job.bbs);
  const ro = job.detail.deviceWasRO && findNode(d, job.detail.device) ? ignored(setReadOnly(d, job.detail.device, true)) : OK;
  removeJobEdges(d, job);
  return ro;
}
