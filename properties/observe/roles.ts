// The role of a node's child edge, which x-debug-query-block-graph does not show: the driver and the child's name
// fix it (model/perm-rules.ts CHILD_RULES), except where a driver opens one child two ways, told apart by what
// else the node has (qcow2's data-file) or was opened with (raw's offset/size window).
import { CHILD_RULES, matchesChild } from '../../model/perm-rules.ts';
import type { RoleSpec } from '../../model/perm-rules.ts';
import { sameRole } from '../../model/perm-rules.ts';

export interface RoleFacts {
  readonly driver: string;
  readonly childName: string;
  /** The parent's other children's names. */
  readonly siblings: readonly string[];
  /** The parent's own options (as given, or as its json: filename shows them). */
  readonly options: { readonly [k: string]: unknown };
}

const METADATA_ONLY: RoleSpec = { kind: 'storage', data: false, metadata: true, primary: true };
const DATA_PRIMARY: RoleSpec = { kind: 'storage', data: true, metadata: false, primary: true };

/** Where a driver opens one child name with two roles: which one, from the node's facts. */
const TWO_WAYS: readonly { readonly driver: string; readonly child: string; readonly pick: (f: RoleFacts) => RoleSpec | undefined }[] = [
  // qcow2_do_open: with an external data file, `file` holds metadata only (BDRV_CHILD_METADATA)
  { driver: 'qcow2', child: 'file', pick: (f) => (f.siblings.includes('data-file') ? METADATA_ONLY : undefined) },
  // raw_open: a non-zero offset or an explicit size makes `file` a DATA child instead of a filtered one
  { driver: 'raw', child: 'file', pick: (f) => ((f.options['offset'] !== undefined && f.options['offset'] !== 0) || f.options['size'] !== undefined ? DATA_PRIMARY : undefined) },
];

/** The role, or `none` for a child no rule names (edge-perms-match-driver-rules then says so). */
export function roleOf(f: RoleFacts): RoleSpec {
  const special = TWO_WAYS.find((t) => t.driver === f.driver && t.child === f.childName)?.pick(f);
  if (special) return special;
  const entries = CHILD_RULES.filter((e) => e.driver === f.driver && matchesChild(e.child, f.childName));
  // the first entry is the driver's usual role (qcow2 file: IMAGE; raw file: FILTERED)
  const first = entries[0];
  if (!first) return { kind: 'none' };
  return entries.every((e) => sameRole(e.role, first.role)) || TWO_WAYS.some((t) => t.driver === f.driver && t.child === f.childName) ? first.role : { kind: 'none' };
}
