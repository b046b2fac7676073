// copy-on-read: a filter that always takes write-unchanged on its child to store what it reads.
import { intersect, union, RWS, U } from '../../qmp/perm-set.ts';
import { OK, fail } from '../core/result.ts';
import { freezeChain, unfreezeChain } from '../core/freeze.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { applyTx } from '../core/transaction.ts';
import { allocated } from '../core/block-status.ts';
import { backingChainNext, filterBs } from '../core/chain.ts';
import { segfaultOf } from '../core/segfault.ts';
import type { BlockNode } from '../core/graph.ts';
import { data, readContent } from '../core/read-content.ts';
import { ZEROS } from '../core/content.ts';
import { filteredLength } from '../core/length.ts';
import { corServed } from './cor-served.ts';

export const copyOnRead = Object.freeze<Driver<'copy-on-read'>>({
  name: 'copy-on-read',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('file', blockdevRef), opt('bottom', str)],
  newState: () => ({ driver: 'copy-on-read', bottom: undefined }),
  length: filteredLength,
  variableLength: true,
  open(ctx, args) {
    const e = ctx.openChild('file', FILTERED_PRIMARY);
    if (!e.ok) return e;
    const bottomName = typeof args['bottom'] === 'string' ? args['bottom'] : undefined;
    if (bottomName === undefined) return OK;
    const bottom = ctx.env.graph.nodes.get(bottomName);
    if (!bottom) return fail('not-found', `Bottom node '${bottomName}' not found`);
    // bs->drv == NULL (a fatal qcow2 corruption): checked before is_filter, which needs the driver
    if (bottom.driverGone) return fail('io-error', `Bottom node '${bottomName}' not opened`);
    if (bottom.driver.isFilter) return fail('invalid-param', `Bottom node '${bottomName}' is a filter`);
    stateOf(ctx.node, 'copy-on-read').bottom = bottomName;
    return freezeChain(ctx.tx, ctx.node, bottom);
  },
  onClose(env, tx, node) {
    const b = stateOf(node, 'copy-on-read').bottom;
    if (b !== undefined) unfreezeChain(tx, node, env.graph.nodes.get(b));
  },
  childPerm(ctx) {
    return { perm: union(intersect(ctx.perm, RWS), U), shared: union(intersect(ctx.shared, RWS), U) };
  },
  read(env, node, request) {
    const file = filterBs(node);
    // cor_co_preadv_part asks bdrv_is_allocated_above(bdrv_backing_chain_next(file), bottom): NULL below a bare file segfaults
    const noChainBelow = file !== undefined && !allocated(file) && backingChainNext(file) === undefined;
    if (stateOf(node, 'copy-on-read').bottom !== undefined && noChainBelow) return { kind: 'exit', death: segfaultOf('copy-on-read-null-chain') };
    return file ? readContent(env, file, request) : data(ZEROS);
  },
  copiesOnRead: true,
  ...corServed,
});

/** The filter still holds its `bottom` frozen (a stream job's, until the job drops it). */
export function holdsBottom(cor: BlockNode): boolean {
  return stateOf(cor, 'copy-on-read').bottom !== undefined;
}

/** bdrv_cor_filter_drop's first half: the chain down to `bottom` is unfrozen and the filter forgets it. */
export function releaseBottom(env: BlockEnv, cor: BlockNode): void {
  const s = stateOf(cor, 'copy-on-read');
  const bottom = s.bottom !== undefined ? env.graph.nodes.get(s.bottom) : undefined;
  applyTx((tx) => unfreezeChain(tx, cor, bottom));
  s.bottom = undefined;
}
