// mirror_top: the filter a mirror (or active commit) job puts above its source (block/mirror.c).
import { defaultPerms } from '../core/default-perms.ts';
import { ALL_PERMS, NO_PERMS, hasPerm, minus, permSet, union } from '../core/perm.ts';
import { OK } from '../core/result.ts';
import type { Driver } from './driver.ts';

const R = permSet('consistent-read');
const W = permSet('write');

export const mirrorTop = Object.freeze<Driver>({
  name: 'mirror_top',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [],
  open: () => OK,
  childPerm(ctx) {
    // a stopping job forwards nothing, so dropping the filter never needs new perms
    if (ctx.node.state['stop'] === true) return { perm: NO_PERMS, shared: ALL_PERMS };
    // quirk mirror-top-loose-perms (before 53431b9086b2 "block/mirror: Fix mirror_top's permissions"):
    // forward only writes and share everything, so others may take what the source's parents unshared
    if (ctx.node.state['loosePerms'] === true) return { perm: hasPerm(ctx.perm, 'write') ? W : NO_PERMS, shared: ALL_PERMS };
    const d = defaultPerms(ctx);
    // commit mode: consistent read is unshared above the base, and writes must pass to it
    if (ctx.node.state['isCommit'] === true) return { perm: minus(d.perm, R), shared: union(d.shared, W) };
    return d;
  },
});
