// block-stream (block/stream.c): a copy-on-read filter takes the device's place; at finalize the device's backing
// becomes the base and the filter goes.
import type { JsonObject } from '../../qmp/types.ts';
import { chainLinks, chainNotBlocked, checkGraph, notFrozen } from '../check.ts';
import { adopt, attach, detach, draft, dropFilter, removeBackends, replaceNode } from '../edit.ts';
import { chainContains, chainNext, childEdge, copies, copyExtent, copyFails, lengthOf, cowChild, filenameOf, findByFilename, headerName, filterChild, findNode, findOverlay, isFilter, lookup, node, skipFilters, str } from '../graph.ts';
import { openNode } from '../open.ts';
import { COW_ROLE, FILTERED } from '../perm-rules.ts';
import { ALL, NONE, permSetOf } from '../perm-set.ts';
import { setReadOnly } from '../reopen.ts';
import { FailedWithResidue, OK, fail, seq } from '../result.ts';
import type { Result } from '../result.ts';
import type { Job, ModelState } from '../state.ts';
import { createJob, jobBackend, jobEdge, removeJobEdges } from './job.ts';

const RU = permSetOf('consistent-read', 'write-unchanged');
/** block/stream.c's STREAM_CHUNK. */
const STREAM_CHUNK = 512 * 1024;
const RWU = permSetOf('consistent-read', 'write', 'write-unchanged');

export function blockStream(d: ModelState, args: JsonObject): Result<Job> {
  const has = (k: string): boolean => args[k] !== undefined;
  for (const [a, b] of [['base', 'base-node'], ['base', 'bottom'], ['bottom', 'base-node']] as const) {
    if (has(a) && has(b)) return fail('invalid-param', `'${a}' and '${b}' cannot be specified at the same time`);
  }
  const dev = lookup(d, str(args, 'device'));
  if (!dev.ok) return dev;
  const device = dev.value.name;
  let base = str(args, 'base') === undefined ? undefined : findByFilename(d, device, str(args, 'base') ?? '');
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
    if (isFilter(b.value.driver)) return fail('invalid-param', `Node '${bottom}' is a filter, use a non-filter node as 'bottom'`);
    if (!chainContains(d, device, bottom)) return fail('invalid-param', `Node '${bottom}' is not in a chain starting from '${device}'`);
  }
  const blocked = chainNotBlocked(d, device, bottom === undefined ? base : chainNext(d, bottom), 'stream');
  if (!blocked.ok) return blocked;
  if (base === undefined && has('backing-file')) return fail('invalid-param', 'backing file specified, but streaming the entire chain');
  return startStream(d, args, device, base, bottom);
}

function startStream(d: ModelState, args: JsonObject, device: string, base: string | undefined, bottom: string | undefined): Result<Job> {
  const wasRO = node(d, device).readOnly;
  const reopened = { state: undefined as ModelState | undefined };
  const started = startStreamAfter(d, args, device, base, bottom, reopened);
  if (started.ok || !wasRO || reopened.state === undefined) return started;
  // stream_start's fail path reopens the device read-only anew (error ignored): not an undo, so nodes below it
  // inherit read-only instead of getting back what they had (core-diff-36)
  setReadOnly(reopened.state, device, true);
  throw new FailedWithResidue(started.error, reopened.state);
}

function startStreamAfter(d: ModelState, args: JsonObject, device: string, base: string | undefined, bottom: string | undefined, reopened: { state: ModelState | undefined }): Result<Job> {
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
  if (wasRO) reopened.state = draft(d);
  const name = str(args, 'filter-node-name');
  const cor = openNode(d, { driver: 'copy-on-read', file: device, bottom: overlay, ...(name === undefined ? {} : { 'node-name': name }) });
  if (!cor.ok) return { ok: false, error: { ...cor.error, message: `Could not create node: ${cor.error.message}` } };
  node(d, cor.value).implicit = name === undefined;
  const moved = seq(
    () => replaceNode(d, device, cor.value),
    () => checkGraph(d, [cor.value, device]),
  );
  if (!moved.ok) return moved;
  const detail = { kind: 'stream' as const, device, aboveBase: above, deviceWasRO: wasRO, backingFile: str(args, 'backing-file') };
  const job = createJob(d, args, 'stream', detail, cor.value, cor.value, NONE, ALL);
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

/** stream_run: copies what the chain below the device holds down to the base overlay (the filter's `bottom`). */
export function runStream(d: ModelState, job: Job): string | undefined {
  if (job.kind !== 'stream') return undefined;
  const unfiltered = skipFilters(d, job.device);
  const overlay = str(node(d, job.filter).opts, 'bottom');
  if (unfiltered === undefined || unfiltered === overlay) return undefined;
  const from = cowChild(d, unfiltered);
  if (!copies(d, from, overlay)) return undefined;
  // the chunk is sized by the chain below, the read by the device: past the device's end it is refused (EIO)
  const pastDevice = copyExtent(d, from, overlay, Math.min(STREAM_CHUNK, lengthOf(d, unfiltered))) > lengthOf(d, job.device);
  return pastDevice || copyFails(d, from) ? 'Input/output error' : undefined;
}

/** bdrv_cor_filter_drop: unfreeze, the filter's parents go back down, its link is cut. */
function dropCor(d: ModelState, job: Job): void {
  const cor = findNode(d, job.filter);
  const below = filterChild(d, job.filter);
  if (!cor || cor.opts['bottom'] === undefined || below === undefined) return;
  const { bottom: _, ...opts } = cor.opts;
  cor.opts = opts;
  dropFilter(d, job.filter, below, true);
}

/** stream_prepare: the device's backing becomes what was below the streamed part, and its header says so. */
export function prepareStream(d: ModelState, job: Job): string | undefined {
  if (job.kind !== 'stream') return undefined;
  dropCor(d, job);
  const unfiltered = skipFilters(d, job.device);
  if (unfiltered === undefined || cowChild(d, unfiltered) === undefined) return undefined;
  const base = chainNext(d, job.aboveBase);
  const unfilteredBase = skipFilters(d, base);
  const t = draft(d);
  const old = childEdge(t, unfiltered, 'backing');
  const set = seq(
    () => notFrozen(t, old ? [old] : []),
    () => {
      if (old) detach(t, old);
      return base === undefined ? OK : attach(t, unfiltered, base, 'backing', isFilter(node(t, unfiltered).driver) ? FILTERED : COW_ROLE);
    },
    () => checkGraph(t, old ? [unfiltered, old.child] : [unfiltered]),
  );
  if (set.ok) adopt(d, t);
  const image = d.images[filenameOf(d, unfiltered) ?? ''];
  const file = unfilteredBase === undefined ? undefined : (job.backingFile ?? headerName(d, unfilteredBase));
  if (image) {
    Object.assign(image, { backingFile: file, backingFormat: unfilteredBase === undefined ? undefined : node(d, unfilteredBase).driver });
    Object.assign(node(d, unfiltered), { backingFile: file, autoBacking: file });
  }
  return set.ok ? undefined : 'Operation not permitted';
}

/** stream_clean: drop the filter if still there, the backend, the device's writability; and (fix
 * stream-drops-job-edges) the job edges, which 7.2 keeps pointing at the freed filter until dismiss. */
export function cleanStream(d: ModelState, job: Job): void {
  if (job.kind !== 'stream') return;
  dropCor(d, job);
  removeBackends(d, job.bbs);
  if (job.deviceWasRO && findNode(d, job.device)) setReadOnly(d, job.device, true);
  removeJobEdges(d, job);
}
