// QEMU's bdrv_default_perms: the per-role rules that drivers reuse (block.c).
import type { ChildPermContext } from '../drivers/driver.ts';
import type { PermPair } from '../../qmp/perm-set.ts';
import { intersect, minus, permSet, union, hasPerm, ALL_PERMS, R, W, U, S, WS } from '../../qmp/perm-set.ts';
import { InternalError } from './result.ts';

/** Filters pass their parents' perms and shared perms straight through. */
export function filterPerms(ctx: ChildPermContext): PermPair {
  return { perm: intersect(ctx.perm, ALL_PERMS), shared: intersect(ctx.shared, ALL_PERMS) };
}

/** Backing files are only read; they may change under us only if our parents allow writes. */
export function cowPerms(ctx: ChildPermContext): PermPair {
  const perm = intersect(ctx.perm, R);
  const base = hasPerm(ctx.shared, 'write') ? WS : permSet();
  return { perm, shared: union(base, permSet('consistent-read', 'write-unchanged')) };
}

/** Data/metadata children: format drivers write metadata and forbid others to write or resize. */
export function storagePerms(ctx: ChildPermContext, data: boolean, metadata: boolean): PermPair {
  let { perm, shared } = filterPerms(ctx);
  if (metadata) {
    if (ctx.writable) perm = union(perm, WS);
    perm = union(perm, R);
    shared = minus(shared, WS);
  }
  if (data) {
    shared = minus(shared, S);
    if (hasPerm(perm, 'write-unchanged')) perm = union(perm, W);
    if (hasPerm(perm, 'write')) perm = union(perm, S);
  }
  return { perm, shared };
}

export function defaultPerms(ctx: ChildPermContext): PermPair {
  const r = ctx.role;
  switch (r.kind) {
    case 'filtered':
      return filterPerms(ctx);
    case 'cow':
      return cowPerms(ctx);
    case 'storage':
      return storagePerms(ctx, r.data, r.metadata);
    case 'none':
      throw new InternalError(`node '${ctx.node.name}' has a role-less child '${ctx.childName}'`);
  }
}

export const PERM_U = U;
