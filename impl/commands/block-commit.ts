// block-commit (qmp_block_commit): active commit is a mirror into the base, else an intermediate commit.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { chainContains, filterOrCowBs, findOverlay, skipFilters, findBackingImage } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { lookupBs } from '../core/lookup.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { hasPerm } from '../../qmp/perm-set.ts';
import { cumulativePerms } from '../core/refresh.ts';
import { inTransaction } from '../core/transaction.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { startCommitJob } from '../jobs/commit.ts';
import { startMirrorJob } from '../jobs/mirror-start.ts';
import { reopenSetReadOnly } from '../reopen/reopen-multiple.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, enumOf, int, opt, req, str as strT } from '../qapi/schema.ts';
import { jobCommon, launchJob, rootBs, str } from './job-args.ts';

const SCHEMA = [
  opt('job-id', strT), req('device', strT), opt('base-node', strT), opt('base', strT), opt('top-node', strT), opt('top', strT),
  opt('backing-file', strT), opt('speed', int), opt('on-error', enumOf('report', 'ignore', 'enospc', 'stop', 'auto')),
  opt('filter-node-name', strT), opt('auto-finalize', bool), opt('auto-dismiss', bool),
];

function resolveTopBase(env: BlockEnv, bs: BlockNode, args: JsonObject): Result<{ top: BlockNode; base: BlockNode }> {
  let top: BlockNode | undefined = bs;
  const topNode = str(args, 'top-node');
  const topFile = str(args, 'top');
  if (topNode !== undefined && topFile !== undefined) return fail('invalid-param', "'top-node' and 'top' are mutually exclusive");
  if (topNode !== undefined) {
    const t = lookupBs(env, undefined, topNode);
    if (!t.ok) return t;
    if (!chainContains(bs, t.value)) return fail('invalid-param', `'${topNode}' is not in this backing file chain`);
    top = t.value;
  } else if (topFile !== undefined && bs.filename !== topFile) {
    top = findBackingImage(bs, topFile);
  }
  if (!top) return fail('not-found', `Top image file ${topFile ?? 'NULL'} not found`);
  const baseNode = str(args, 'base-node');
  const baseFile = str(args, 'base');
  let base: BlockNode | undefined;
  if (baseNode !== undefined && baseFile !== undefined) return fail('invalid-param', "'base-node' and 'base' are mutually exclusive");
  if (baseNode !== undefined) {
    const b = lookupBs(env, undefined, baseNode);
    if (!b.ok) return b;
    if (!chainContains(top, b.value)) return fail('invalid-param', `'${baseNode}' is not in this backing file chain`);
    base = b.value;
  } else if (baseFile !== undefined) {
    base = findBackingImage(top, baseFile);
    if (!base) return fail('not-found', `Can't find '${baseFile}' in the backing chain`);
  } else {
    base = findOverlay(top, undefined);
    if (!base) return fail('not-found', 'There is no backimg image');
  }
  return { ok: true, value: { top, base } };
}

export function blockCommit(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const device = String(args['device']);
  const bs = rootBs(env, device);
  if (!bs.ok) {
    // libvirt probes for this class
    return lookupBs(env, device, device).ok ? bs : fail('not-found', `Device '${device}' not found`, 'DeviceNotFound');
  }
  const src = checkNotBlocked(bs.value, 'commit-source');
  if (!src.ok) return src;
  const tb = resolveTopBase(env, bs.value, args);
  if (!tb.ok) return tb;
  const { top, base } = tb.value;
  const stop = filterOrCowBs(base);
  for (let iter: BlockNode | undefined = top; iter && iter !== stop; iter = filterOrCowBs(iter)) {
    const b = checkNotBlocked(iter, 'commit-target');
    if (!b.ok) return b;
  }
  if (top === base) return fail('invalid-param', 'cannot commit an image into itself');
  const common = jobCommon(args);
  const isActive = skipFilters(top) === skipFilters(bs.value);
  if (hasPerm(cumulativePerms(top).perm, 'write') || isActive) {
    if (args['backing-file'] !== undefined) {
      return fail('invalid-param', isActive ? "'backing-file' specified, but 'top' is the active layer" : "'backing-file' specified, but 'top' has a writer on it");
    }
    // commit_active_start: the base's read-write reopen stands on its own, and a failed start reopens it
    // read-only again (its own error ignored), so nodes below inherit anew rather than being restored
    const baseReadOnly = base.readOnly;
    if (baseReadOnly) {
      const r = inTransaction((tx) => reopenSetReadOnly(env, tx, base, false));
      if (!r.ok) return r;
    }
    const started = launchJob(env, (tx) =>
      startMirrorJob(env, tx, {
        ...common,
        jobId: str(args, 'job-id') ?? '',
        type: 'commit',
        source: top,
        target: base,
        replaces: undefined,
        isNoneMode: false,
        base,
        zeroTarget: false,
        backingMode: 'leave',
      }),
    );
    if (!started.ok && baseReadOnly) inTransaction((tx) => reopenSetReadOnly(env, tx, base, true));
    return started;
  }
  const overlay = findOverlay(bs.value, top);
  if (overlay) {
    const b = checkNotBlocked(overlay, 'commit-target');
    if (!b.ok) return b;
  }
  return launchJob(env, (tx) =>
    startCommitJob(env, tx, { ...common, device: bs.value, top, base, backingFile: str(args, 'backing-file') }),
  );
}
