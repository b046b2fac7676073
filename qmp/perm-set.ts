// The permission algebra of QEMU 7.2 (QAPI BlockPermission) as plain data, sets kept in QEMU's bit order: one for
// the impl, the model and the checker alike.

/** QEMU 7.2 has exactly these four (graph-mod was removed in 6.2), listed in bit order (R W U S). */
export const PERMS = ['consistent-read', 'write', 'write-unchanged', 'resize'] as const;
export type Perm = (typeof PERMS)[number];

/** An immutable set of perms, always in PERMS order so equal sets compare equal element-wise. */
export type PermSet = readonly Perm[];

/** What a parent takes of a child and what it shares (an edge's, or a node's cumulative over its parents). */
export interface PermPair {
  readonly perm: PermSet;
  readonly shared: PermSet;
}

export const NO_PERMS: PermSet = Object.freeze([]);
export const ALL_PERMS: PermSet = Object.freeze([...PERMS]);

const canon = (has: (p: Perm) => boolean): PermSet => PERMS.filter(has);

export function permSet(...perms: readonly Perm[]): PermSet {
  return canon((p) => perms.includes(p));
}

// Shorthands in PERMS' letters (R W U S), as OBSERVED.md writes an edge's sets ([RW/RU]); frozen, being shared.
export const R: PermSet = Object.freeze(permSet('consistent-read'));
export const W: PermSet = Object.freeze(permSet('write'));
export const U: PermSet = Object.freeze(permSet('write-unchanged'));
export const S: PermSet = Object.freeze(permSet('resize'));
export const RU: PermSet = Object.freeze(permSet('consistent-read', 'write-unchanged'));
export const RW: PermSet = Object.freeze(permSet('consistent-read', 'write'));
export const WS: PermSet = Object.freeze(permSet('write', 'resize'));
export const RWS: PermSet = Object.freeze(permSet('consistent-read', 'write', 'resize'));
export const RWU: PermSet = Object.freeze(permSet('consistent-read', 'write', 'write-unchanged'));

/** The perms a QMP list names (blkdebug's take-child-perms, a graph's perm), in PERMS order; anything else is dropped. */
export function permsNamed(v: unknown): PermSet {
  if (!Array.isArray(v)) return NO_PERMS;
  const names: readonly unknown[] = v;
  return canon((p) => names.includes(p));
}

export function hasPerm(s: PermSet, p: Perm): boolean {
  return s.includes(p);
}

export function union(a: PermSet, b: PermSet): PermSet {
  return canon((p) => a.includes(p) || b.includes(p));
}

export function intersect(a: PermSet, b: PermSet): PermSet {
  return canon((p) => a.includes(p) && b.includes(p));
}

export function minus(a: PermSet, b: PermSet): PermSet {
  return canon((p) => a.includes(p) && !b.includes(p));
}

export function isSubset(a: PermSet, b: PermSet): boolean {
  return a.every((p) => b.includes(p));
}

export function permSetsEqual(a: PermSet, b: PermSet): boolean {
  return a.length === b.length && isSubset(a, b);
}
