// copy-on-read: a filter that always takes write-unchanged on its child to store what it reads.
import { intersect, permSet, union } from '../core/perm.ts';
import { OK, fail } from '../core/result.ts';
import { freezeChain, unfreezeChain } from '../core/freeze.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import { filteredLength } from '../core/length.ts';

const RWS = permSet('consistent-read', 'write', 'resize');
const U = permSet('write-unchanged');

export const copyOnRead = Object.freeze<Driver>({
  name: 'copy-on-read',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('file', blockdevRef), opt('bottom', str)],
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
    if (bottom.state['driverGone'] === true) return fail('io-error', `Bottom node '${bottomName}' not opened`);
    if (bottom.driver.isFilter) return fail('invalid-param', `Bottom node '${bottomName}' is a filter`);
    ctx.node.state['bottom'] = bottomName;
    return freezeChain(ctx.tx, ctx.node, bottom);
  },
  onClose(env, tx, node) {
    const b = node.state['bottom'];
    if (typeof b === 'string') unfreezeChain(tx, node, env.graph.nodes.get(b));
  },
  childPerm(ctx) {
    return { perm: union(intersect(ctx.perm, RWS), U), shared: union(intersect(ctx.shared, RWS), U) };
  },
});

