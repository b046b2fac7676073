// Permission sets of QEMU 7.2 as plain data: four QAPI names, always kept in QEMU's bit order.

/** QAPI BlockPermission names, in QEMU's bit order (R W U S). */
export const PERMS = ['consistent-read', 'write', 'write-unchanged', 'resize'] as const;
export type Perm = (typeof PERMS)[number];
/** Sorted in PERMS order, so equal sets are equal arrays. */
export type PermSet = readonly Perm[];
/** What a parent takes of a child and what it shares (an edge's, or a node's cumulative over its parents). */
export type PermPair = { readonly perm: PermSet; readonly shared: PermSet };

const canon = (has: (p: Perm) => boolean): PermSet => PERMS.filter(has);
export const permSetOf = (...ps: readonly Perm[]): PermSet => canon((p) => ps.includes(p));
export const ALL: PermSet = PERMS;
export const NONE: PermSet = [];
export const unionOf = (a: PermSet, b: PermSet): PermSet => canon((p) => a.includes(p) || b.includes(p));
export const intersectOf = (a: PermSet, b: PermSet): PermSet => canon((p) => a.includes(p) && b.includes(p));
export const minusOf = (a: PermSet, b: PermSet): PermSet => canon((p) => a.includes(p) && !b.includes(p));
export const subsetOf = (a: PermSet, b: PermSet): boolean => a.every((p) => b.includes(p));
export const samePerms = (a: PermSet, b: PermSet): boolean => a.length === b.length && subsetOf(a, b);
