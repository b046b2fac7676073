// blockdev-mirror (blockdev_mirror_common + mirror_start): checks, then a mirror job.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { canReplaceBelow } from '../core/can-replace.ts';
import { backingChainNext, skipImplicitFilters } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { lookupBs } from '../core/lookup.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { startMirrorJob } from '../jobs/mirror-start.ts';
import type { MirrorParams } from '../jobs/mirror.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, enumOf, int, opt, req, str as strT, uint32 } from '../qapi/schema.ts';
import { jobCommon, launchJob, num, rootBs, str } from './job-args.ts';

const ON_ERROR = enumOf('report', 'ignore', 'enospc', 'stop', 'auto');
export const MIRROR_SYNC = enumOf('top', 'full', 'none', 'incremental', 'bitmap');
const SCHEMA = [
  opt('job-id', strT), req('device', strT), req('target', strT), opt('replaces', strT), req('sync', MIRROR_SYNC),
  opt('speed', int), opt('granularity', uint32), opt('buf-size', int), opt('on-source-error', ON_ERROR),
  opt('on-target-error', ON_ERROR), opt('filter-node-name', strT), opt('copy-mode', enumOf('background', 'write-blocking')),
  opt('auto-finalize', bool), opt('auto-dismiss', bool),
];

/**
 * Fix mirror-prevent-loops (the seed series' "mirror: Prevent loops"): a replacement whose parents would end
 * up below the target cannot be carried out; 7.2 accepts it and skips those parents silently at completion.
 */
function replacementLoop(toReplace: BlockNode, target: BlockNode, futureBacking: BlockNode | undefined): string | undefined {
  const below = new Set<BlockNode>();
  const visit = (n: BlockNode): void => {
    if (below.has(n)) return;
    below.add(n);
    for (const c of n.children) visit(c.child);
  };
  visit(target);
  if (futureBacking) visit(futureBacking);
  const parent = toReplace.parents.find((e) => e.parent.kind === 'node' && below.has(e.parent.node));
  if (!parent || parent.parent.kind !== 'node') return undefined;
  return `Replacing '${toReplace.name}' by '${target.name}' would create a loop: its parent '${parent.parent.node.name}' would be below '${target.name}'`;
}

/** check_to_replace_node */
function checkToReplace(env: BlockEnv, parent: BlockNode, name: string): Result<BlockNode> {
  const r = env.graph.nodes.get(name);
  if (!r) return fail('not-found', `Failed to find node with node-name='${name}'`);
  const blocked = checkNotBlocked(r, 'replace');
  if (!blocked.ok) return blocked;
  if (!canReplaceBelow(parent, r)) {
    return fail(
      'invalid-param',
      `Cannot replace '${name}' by a node mirrored from '${parent.name}', because it cannot be guaranteed that doing so would not lead to an abrupt change of visible data`,
    );
  }
  return ok(r);
}

export function blockdevMirror(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const bs = rootBs(env, String(args['device']));
  if (!bs.ok) return bs;
  const targetName = String(args['target']);
  const target = lookupBs(env, targetName, targetName);
  if (!target.ok) return target;
  const p = mirrorParams(env, args, bs.value, target.value, { backingMode: 'leave', zeroTarget: args['sync'] === 'full' });
  if (!p.ok) return p;
  return launchJob(env, (tx) => startMirrorJob(env, tx, p.value));
}

export interface MirrorCommonOptions {
  readonly backingMode: 'leave' | 'source-chain' | 'open-chain';
  readonly zeroTarget: boolean;
}

/** blockdev_mirror_common + mirror_start's checks: what the job will be, or why not. */
export function mirrorParams(env: BlockEnv, args: JsonObject, bs: BlockNode, target: BlockNode, o: MirrorCommonOptions): Result<MirrorParams> {
  let sync = String(args['sync']);
  const granularity = num(args, 'granularity') ?? 0;
  if (granularity !== 0 && (granularity < 512 || granularity > 64 * 1048576)) {
    return fail('invalid-param', "Parameter 'granularity' expects a value in range [512B, 64MB]");
  }
  if (granularity & (granularity - 1)) return fail('invalid-param', "Parameter 'granularity' expects a power of 2");
  const srcBlocked = checkNotBlocked(bs, 'mirror-source');
  if (!srcBlocked.ok) return srcBlocked;
  const tgtBlocked = checkNotBlocked(target, 'mirror-target');
  if (!tgtBlocked.ok) return tgtBlocked;
  if (!backingChainNext(bs) && sync === 'top') sync = 'full';
  let replaces = str(args, 'replaces');
  if (replaces === undefined) {
    const unfiltered = skipImplicitFilters(bs);
    if (unfiltered !== bs) replaces = unfiltered.name;
  }
  if (replaces !== undefined) {
    const r = checkToReplace(env, bs, replaces);
    if (!r.ok) return r;
    if (nodeLength(bs) !== nodeLength(r.value)) return fail('invalid-param', 'cannot replace image with a mirror image of different size');
  }
  if (sync === 'incremental' || sync === 'bitmap') return fail('invalid-param', `Sync mode '${sync}' not supported`);
  if (env.behaviour.fixes.has('mirror-prevent-loops')) {
    const futureBacking = o.backingMode === 'source-chain' ? (sync === 'none' ? bs : sync === 'top' ? backingChainNext(bs) : undefined) : undefined;
    const loop = replacementLoop(replaces !== undefined ? env.graph.nodes.get(replaces) ?? bs : bs, target, futureBacking);
    if (loop !== undefined) return fail('cycle', loop);
  }
  const bufSize = num(args, 'buf-size') ?? 0;
  if (bufSize < 0) return fail('invalid-param', "Invalid parameter 'buf-size'");
  return ok({
    ...jobCommon(args),
    type: 'mirror',
    source: bs,
    target,
    replaces,
    isNoneMode: sync === 'none',
    base: sync === 'top' ? backingChainNext(bs) : undefined,
    zeroTarget: o.zeroTarget && sync === 'full',
    backingMode: o.backingMode,
  });
}
