// copy-on-read: a filter that always takes write-unchanged on its child to store what it reads.
import { intersect, permSet, union } from '../core/perm.ts';
import { OK } from '../core/result.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, opt, req, str } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';

const RWS = permSet('consistent-read', 'write', 'resize');
const U = permSet('write-unchanged');

export const copyOnRead = Object.freeze<Driver>({
  name: 'copy-on-read',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('file', blockdevRef), opt('bottom', str)],
  open(ctx) {
    const e = ctx.openChild('file', FILTERED_PRIMARY);
    if (!e.ok) return e;
    ctx.node.size = e.value?.child.size ?? 0;
    return OK;
  },
  childPerm(ctx) {
    return { perm: union(intersect(ctx.perm, RWS), U), shared: union(intersect(ctx.shared, RWS), U) };
  },
});

