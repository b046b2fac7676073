// block-stream (qmp_block_stream): argument checks and op blockers, then a stream job.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { chainContains, filterOrCowBs, findBackingImage } from '../core/chain.ts';
import type { BlockNode } from '../core/graph.ts';
import { lookupBs } from '../core/lookup.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { startStreamJob } from '../jobs/stream.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, enumOf, int, opt, req, str as strT } from '../qapi/schema.ts';
import { jobCommon, launchJob, str } from './job-args.ts';

const SCHEMA = [
  opt('job-id', strT), req('device', strT), opt('base', strT), opt('base-node', strT), opt('backing-file', strT),
  opt('bottom', strT), opt('speed', int), opt('on-error', enumOf('report', 'ignore', 'enospc', 'stop', 'auto')),
  opt('filter-node-name', strT), opt('auto-finalize', bool), opt('auto-dismiss', bool),
];

export function blockStream(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, SCHEMA, '');
  if (!v.ok) return v;
  const has = (k: string): boolean => args[k] !== undefined;
  if (has('base') && has('base-node')) return fail('invalid-param', "'base' and 'base-node' cannot be specified at the same time");
  if (has('base') && has('bottom')) return fail('invalid-param', "'base' and 'bottom' cannot be specified at the same time");
  if (has('bottom') && has('base-node')) return fail('invalid-param', "'bottom' and 'base-node' cannot be specified at the same time");
  const device = String(args['device']);
  const found = lookupBs(env, device, device);
  if (!found.ok) return found;
  const bs = found.value;
  let base: BlockNode | undefined;
  let bottom: BlockNode | undefined;
  const baseFile = str(args, 'base');
  if (baseFile !== undefined) {
    base = findBackingImage(bs, baseFile);
    if (!base) return fail('not-found', `Can't find '${baseFile}' in the backing chain`);
  }
  const baseNode = str(args, 'base-node');
  if (baseNode !== undefined) {
    const b = lookupBs(env, undefined, baseNode);
    if (!b.ok) return b;
    if (bs === b.value || !chainContains(bs, b.value)) return fail('invalid-param', `Node '${baseNode}' is not a backing image of '${device}'`);
    base = b.value;
  }
  const bottomName = str(args, 'bottom');
  if (bottomName !== undefined) {
    const b = lookupBs(env, undefined, bottomName);
    if (!b.ok) return b;
    if (b.value.driver.isFilter) return fail('invalid-param', `Node '${bottomName}' is a filter, use a non-filter node as 'bottom'`);
    if (!chainContains(bs, b.value)) return fail('invalid-param', `Node '${bottomName}' is not in a chain starting from '${device}'`);
    bottom = b.value;
  }
  const iterEnd = bottom ? filterOrCowBs(bottom) : base;
  for (let iter: BlockNode | undefined = bs; iter && iter !== iterEnd; iter = filterOrCowBs(iter)) {
    const blocked = checkNotBlocked(iter, 'stream');
    if (!blocked.ok) return blocked;
  }
  if (!base && has('backing-file')) return fail('invalid-param', 'backing file specified, but streaming the entire chain');
  return launchJob(env, (tx, residue) =>
    startStreamJob(env, tx, {
      ...jobCommon(args),
      device: bs,
      base,
      bottom,
      backingFile: str(args, 'backing-file'),
    }, residue),
  );
}
