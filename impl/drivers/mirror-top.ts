// mirror_top: the filter a mirror (or active commit) job puts above its source (block/mirror.c).
import { defaultPerms } from '../core/default-perms.ts';
import type { BlockNode } from '../core/graph.ts';
import { ALL_PERMS, NO_PERMS, hasPerm, minus, union, R, W } from '../../qmp/perm-set.ts';
import { OK } from '../core/result.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';

export const mirrorTop = Object.freeze<Driver<'mirror_top'>>({
  name: 'mirror_top',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [],
  newState: () => ({ driver: 'mirror_top', stop: false, isCommit: false, loosePerms: false }),
  open: () => OK,
  childPerm(ctx) {
    const s = stateOf(ctx.node, 'mirror_top');
    // a stopping job forwards nothing, so dropping the filter never needs new perms
    if (s.stop) return { perm: NO_PERMS, shared: ALL_PERMS };
    // quirk mirror-top-loose-perms (before 53431b9086b2 "block/mirror: Fix mirror_top's permissions"):
    // forward only writes and share everything, so others may take what the source's parents unshared
    if (s.loosePerms) return { perm: hasPerm(ctx.perm, 'write') ? W : NO_PERMS, shared: ALL_PERMS };
    const d = defaultPerms(ctx);
    // commit mode: consistent read is unshared above the base, and writes must pass to it
    if (s.isCommit) return { perm: minus(d.perm, R), shared: union(d.shared, W) };
    return d;
  },
});

/** mirror_start_job tells the filter whether it sits above an active commit (the target is in its backing chain). */
export function setMirrorTopMode(mt: BlockNode, mode: { readonly isCommit: boolean; readonly loosePerms: boolean }): void {
  Object.assign(stateOf(mt, 'mirror_top'), mode);
}

/** mirror_exit_common: bs_opaque->stop, so that the filter's removal never needs new perms. */
export function stopMirrorTop(mt: BlockNode): void {
  stateOf(mt, 'mirror_top').stop = true;
}
