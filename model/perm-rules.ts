// Child-permission rules of QEMU 7.2 as data (semantics §1.2, §2.1–2.3), written from the spec, not from impl/.
// A rule gives a child edge's (P, Sh) from the parent's cumulative (P, Sh); the table says which rule an edge gets.
import { ALL_PERMS, NO_PERMS, intersect, minus, permsNamed, union, type PermPair, type PermSet, R, U, W, S, RU, WS, RWS } from '../qmp/perm-set.ts';

/** BdrvChildRole as a tagged union (same shape the impl and the snapshot use). */
export type RoleSpec =
  | { readonly kind: 'filtered'; readonly primary: true }
  | { readonly kind: 'cow' }
  | { readonly kind: 'storage'; readonly data: boolean; readonly metadata: boolean; readonly primary: boolean }
  /** Block job edges: role 0 (block_job_add_bdrv); a node edge never has it. */
  | { readonly kind: 'none' };

export const FILTERED: RoleSpec = { kind: 'filtered', primary: true };
export const COW_ROLE: RoleSpec = { kind: 'cow' };
export const IMAGE: RoleSpec = { kind: 'storage', data: true, metadata: true, primary: true };
const METADATA_PRIMARY: RoleSpec = { kind: 'storage', data: false, metadata: true, primary: true };
export const DATA: RoleSpec = { kind: 'storage', data: true, metadata: false, primary: false };
export const DATA_PRIMARY: RoleSpec = { kind: 'storage', data: true, metadata: false, primary: true };

export function sameRole(a: RoleSpec, b: RoleSpec): boolean {
  if (a.kind === 'storage' && b.kind === 'storage') return a.data === b.data && a.metadata === b.metadata && a.primary === b.primary;
  return a.kind === b.kind;
}

/** A child edge's perms from what the parent has and is (RuleInput). */
type Rule = (x: RuleInput) => PermPair;

/** §2.2 bdrv_default_perms: a filtered child gets the parent's perms as they are. */
const filtered: Rule = ({ perm, shared }) => ({ perm, shared });
/** A backing child is only read; it shares W/S where the parent shares write. */
const cow: Rule = (x) => ({ perm: intersect(x.perm, R), shared: x.shared.includes('write') ? ALL_PERMS : RU });

/** Metadata: read, write and resize on a writable parent, W/S unshared; data: W follows U, S follows W, S unshared. */
function storage(data: boolean, metadata: boolean): Rule {
  return (x) => {
    const meta = metadata ? { perm: union(x.perm, x.writable ? RWS : R), shared: minus(x.shared, WS) } : x;
    const withW = data && meta.perm.includes('write-unchanged') ? union(meta.perm, W) : meta.perm;
    const shared = data ? minus(meta.shared, S) : meta.shared;
    return { perm: data && withW.includes('write') ? union(withW, S) : withW, shared };
  };
}

const nothingAllShared: Rule = () => ({ perm: NO_PERMS, shared: ALL_PERMS });
/** copy-on-read always takes write-unchanged (it writes what it read) and shares it. */
const copyOnRead: Rule = (x) => ({ perm: union(intersect(x.perm, RWS), U), shared: union(intersect(x.shared, RWS), U) });
const blkdebug: Rule = ({ perm, shared, facts }) =>
  ({ perm: union(perm, facts.takeChildPerms ?? NO_PERMS), shared: minus(shared, facts.unshareChildPerms ?? NO_PERMS) });
const quorum: Rule = (x) => ({ perm: x.facts.rewritesCorrupted === true ? union(x.perm, W) : x.perm, shared: intersect(x.shared, RU) });
/** mirror_top: dropped by its job it takes nothing; in an active commit it reads nothing and shares write. */
const mirrorTop: Rule = (x) => {
  if (x.facts.mirrorMode === 'commit') return { perm: minus(x.perm, R), shared: union(x.shared, W) };
  return x.facts.mirrorMode === 'stopping' ? nothingAllShared(x) : filtered(x);
};

export interface ChildRuleEntry {
  readonly driver: string;
  /** `children.*` matches quorum's children.0, children.1, … */
  readonly child: string;
  readonly role: RoleSpec;
  readonly rule: Rule;
}

/** §1.2 (child names and roles) with §2.3 (perms) per driver; the first entry of a child is its usual role. */
export const CHILD_RULES: readonly ChildRuleEntry[] = [
  { driver: 'qcow2', child: 'file', role: IMAGE, rule: storage(true, true) },
  { driver: 'qcow2', child: 'file', role: METADATA_PRIMARY, rule: storage(false, true) },
  { driver: 'qcow2', child: 'data-file', role: DATA, rule: storage(true, false) },
  { driver: 'qcow2', child: 'backing', role: COW_ROLE, rule: cow },
  { driver: 'raw', child: 'file', role: FILTERED, rule: filtered },
  // raw with offset/size: P exactly (raw drops the W/S that DATA would add), Sh − S
  { driver: 'raw', child: 'file', role: DATA_PRIMARY, rule: (x) => ({ perm: x.perm, shared: minus(x.shared, S) }) },
  { driver: 'throttle', child: 'file', role: FILTERED, rule: filtered },
  { driver: 'copy-on-read', child: 'file', role: FILTERED, rule: copyOnRead },
  { driver: 'blkdebug', child: 'image', role: FILTERED, rule: blkdebug },
  { driver: 'blkverify', child: 'raw', role: FILTERED, rule: filtered },
  { driver: 'blkverify', child: 'test', role: DATA, rule: storage(true, false) },
  { driver: 'quorum', child: 'children.*', role: DATA, rule: quorum },
  { driver: 'mirror_top', child: 'backing', role: FILTERED, rule: mirrorTop },
  { driver: 'commit_top', child: 'backing', role: FILTERED, rule: nothingAllShared },
];

/** §1.1 driver facts the structural invariants need. */
export interface DriverFacts {
  readonly isFilter: boolean;
  readonly supportsBacking: boolean;
  /** Name of the FILTERED|PRIMARY child of a filter. */
  readonly filteredChild?: string;
}

export const DRIVER_FACTS: Readonly<Record<string, DriverFacts>> = {
  file: { isFilter: false, supportsBacking: false },
  'null-co': { isFilter: false, supportsBacking: false },
  raw: { isFilter: false, supportsBacking: false },
  qcow2: { isFilter: false, supportsBacking: true },
  quorum: { isFilter: false, supportsBacking: false },
  throttle: { isFilter: true, supportsBacking: false, filteredChild: 'file' },
  'copy-on-read': { isFilter: true, supportsBacking: false, filteredChild: 'file' },
  blkdebug: { isFilter: true, supportsBacking: false, filteredChild: 'image' },
  blkverify: { isFilter: true, supportsBacking: false, filteredChild: 'raw' },
  mirror_top: { isFilter: true, supportsBacking: false, filteredChild: 'backing' },
  commit_top: { isFilter: true, supportsBacking: false, filteredChild: 'backing' },
};

export interface RuleInput {
  readonly driver: string;
  readonly childName: string;
  readonly role: RoleSpec;
  /** The parent's cumulative perm and shared perm (§1.4). */
  readonly perm: PermSet;
  readonly shared: PermSet;
  /** Read-only is false (after a pending reopen); nodes are always active (no migration is modelled). */
  readonly writable: boolean;
  /** What the parent's driver rule reads of the parent beyond perms and flags. */
  readonly facts: NodeFacts;
  readonly childForceShare: boolean;
}

/** What a rule reads of its parent: a few typed facts, not the parent's option or state record. */
export interface NodeFacts {
  /** blkdebug: take-child-perms and unshare-child-perms. */
  readonly takeChildPerms?: PermSet;
  readonly unshareChildPerms?: PermSet;
  /** quorum: rewrite-corrupted in effect (quorum_open reads it only for read-pattern quorum, core-quorum-03). */
  readonly rewritesCorrupted?: boolean;
  /** mirror_top: a plain mirror, an active commit (target in the source's chain), or the job dropping it. */
  readonly mirrorMode?: 'mirror' | 'commit' | 'stopping';
}

/** The facts a node's options give (blkdebug's perm lists, quorum's rewrite-corrupted); mirror_top's mode is the job's. */
export function optionFacts(o: { readonly [k: string]: unknown }): NodeFacts {
  const rewritesCorrupted = o['rewrite-corrupted'] === true && o['read-pattern'] !== 'fifo';
  return { takeChildPerms: permsNamed(o['take-child-perms']), unshareChildPerms: permsNamed(o['unshare-child-perms']), rewritesCorrupted };
}

/** CHILD_RULES by driver, in table order: every edge of every perm computation looks its rule up. */
const RULES_BY_DRIVER: ReadonlyMap<string, readonly ChildRuleEntry[]> = new Map(
  [...new Set(CHILD_RULES.map((e) => e.driver))].map((d) => [d, CHILD_RULES.filter((e) => e.driver === d)]),
);

/** The first entry of the table for this edge (the table's order decides between a child's roles). */
function ruleFor(driver: string, childName: string, role: RoleSpec): Rule | undefined {
  for (const e of RULES_BY_DRIVER.get(driver) ?? []) if (matchesChild(e.child, childName) && sameRole(e.role, role)) return e.rule;
  return undefined;
}

export const matchesChild = (pattern: string, name: string): boolean =>
  pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) && /^\d+$/.test(name.slice(pattern.length - 1)) : pattern === name;

/** §2.1: the table's rule (none for a role-0 job edge or a driver it does not list); force-share on the child shares ALL. */
export function childPermFor(x: RuleInput): { readonly ok: true; readonly perm: PermSet; readonly shared: PermSet } | { readonly ok: false } {
  const rule = ruleFor(x.driver, x.childName, x.role);
  if (rule === undefined) return { ok: false };
  const { perm, shared } = rule(x);
  return { ok: true, perm, shared: x.childForceShare ? ALL_PERMS : shared };
}
