// Perms as QEMU 7.2 prints them: in error text (bdrv_perm_names) and in x-debug-query-block-graph's order. The
// algebra (named perms, sets in bit order) is qmp/perm-set.ts, shared with the model.
import type { Perm, PermSet } from '../../qmp/perm-set.ts';

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
