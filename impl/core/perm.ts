// The permission algebra of QEMU 7.2: four named perms, sets kept in QEMU's bit order.

/** QEMU 7.2 has exactly these four (graph-mod was removed in 6.2), listed in bit order. */
export const PERMS = ['consistent-read', 'write', 'write-unchanged', 'resize'] as const;
export type Perm = (typeof PERMS)[number];

/** An immutable set of perms, always in PERMS order so equal sets compare equal element-wise. */
export type PermSet = readonly Perm[];

export const NO_PERMS: PermSet = Object.freeze([]);
export const ALL_PERMS: PermSet = Object.freeze([...PERMS]);

const canon = (has: (p: Perm) => boolean): PermSet => PERMS.filter(has);

export function permSet(...perms: readonly Perm[]): PermSet {
  return canon((p) => perms.includes(p));
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

/** Names as QEMU's bdrv_perm_names() prints them in error text. */
const PERM_TEXT: Readonly<Record<Perm, string>> = {
  'consistent-read': 'consistent read',
  write: 'write',
  'write-unchanged': 'write unchanged',
  resize: 'resize',
};

export function permText(p: Perm): string {
  return PERM_TEXT[p];
}

export function permNames(s: PermSet): string {
  return s.map(permText).join(', ');
}

/** Order QEMU's x-debug-query-block-graph lists perms in (highest bit first). */
export function permsForQmp(s: PermSet): Perm[] {
  return [...s].reverse();
}

export function parsePerm(s: string): Perm | undefined {
  return (PERMS as readonly string[]).includes(s) ? (s as Perm) : undefined;
}
