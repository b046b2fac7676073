// Child-permission rules of QEMU 7.2 as data (semantics §1.2, §2.1–2.3), written from the spec, not from impl/.
// A rule is a list of steps applied to the parent's cumulative (P, Sh); the table says which rule an edge gets.

import { ALL, NONE, intersectOf, minusOf, permSetOf, PERMS, unionOf } from './perm-set.ts';
import type { Perm, PermSet } from './perm-set.ts';

const R = permSetOf('consistent-read');
const U = permSetOf('write-unchanged');
const W = permSetOf('write');
const S = permSetOf('resize');
const RU = permSetOf('consistent-read', 'write-unchanged');
const WS = permSetOf('write', 'resize');
const RWS = permSetOf('consistent-read', 'write', 'resize');

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

/** What a step may depend on: the parent (its perms, flags, facts) and the perm computed so far (§2.2 DATA order). */
export type Cond = (input: RuleInput, permSoFar: PermSet) => boolean;

export type Step =
  | { readonly op: 'perm-add' | 'perm-remove' | 'perm-keep' | 'perm-set'; readonly perms: PermSet; readonly if?: Cond }
  | { readonly op: 'shared-add' | 'shared-remove' | 'shared-keep' | 'shared-set'; readonly perms: PermSet; readonly if?: Cond }
  /** blkdebug: the perms its take-child-perms adds and its unshare-child-perms removes (NodeFacts). */
  | { readonly op: 'perm-add-taken' | 'shared-remove-unshared' };

const parentWritable: Cond = (x) => x.writable;
const parentInactive: Cond = (x) => x.inactive;
const permHas = (p: Perm): Cond => (_, perm) => perm.includes(p);

/** §2.2 generic rules. */
export const FILTER_RULE: readonly Step[] = [];
export const COW_RULE: readonly Step[] = [
  { op: 'perm-keep', perms: R },
  { op: 'shared-set', perms: RU },
  { op: 'shared-add', perms: WS, if: (x) => x.shared.includes('write') },
  { op: 'shared-add', perms: WS, if: parentInactive },
];
const METADATA_STEPS: readonly Step[] = [{ op: 'perm-add', perms: WS, if: parentWritable }, { op: 'perm-add', perms: R }, { op: 'shared-remove', perms: WS }];
const DATA_STEPS: readonly Step[] = [
  { op: 'shared-remove', perms: S },
  { op: 'perm-add', perms: W, if: permHas('write-unchanged') },
  { op: 'perm-add', perms: S, if: permHas('write') },
];
const INACTIVE_SHARES: Step = { op: 'shared-add', perms: WS, if: parentInactive };

export function storageRule(data: boolean, metadata: boolean): readonly Step[] {
  return [...(metadata ? METADATA_STEPS : []), ...(data ? DATA_STEPS : []), INACTIVE_SHARES];
}

/** bdrv_default_perms dispatches on the role; role 0 is g_assert_not_reached() there. */
export const genericRule = (role: RoleSpec): readonly Step[] | undefined =>
  role.kind === 'storage' ? storageRule(role.data, role.metadata) : { filtered: FILTER_RULE, cow: COW_RULE, none: undefined }[role.kind];

const COR_RULE: readonly Step[] = [{ op: 'perm-keep', perms: RWS }, { op: 'perm-add', perms: U, if: (x) => !x.inactive }, { op: 'shared-keep', perms: RWS }, { op: 'shared-add', perms: U }];
const BLKDEBUG_RULE: readonly Step[] = [{ op: 'perm-add-taken' }, { op: 'shared-remove-unshared' }];
const QUORUM_RULE: readonly Step[] = [{ op: 'perm-add', perms: W, if: (x) => x.facts.rewritesCorrupted === true }, { op: 'shared-keep', perms: RU }];
const NOTHING_ALL_SHARED: readonly Step[] = [{ op: 'perm-set', perms: NONE }, { op: 'shared-set', perms: ALL }];
const MIRROR_COMMIT_RULE: readonly Step[] = [{ op: 'perm-remove', perms: R }, { op: 'shared-add', perms: W }];
const mirrorMode = (mode: NodeFacts['mirrorMode']): Cond => (x) => x.facts.mirrorMode === mode;

/** `children.*` matches quorum's children.0, children.1, … */
export type ChildPattern = string;

export interface ChildRuleEntry {
  readonly driver: string;
  readonly child: ChildPattern;
  readonly role: RoleSpec;
  /** First matching entry wins; `when` picks among variants (mirror_top's modes). */
  readonly when?: Cond;
  readonly steps: readonly Step[];
}

/** §1.2 (child names and roles) with §2.3 (perms) per driver. */
export const CHILD_RULES: readonly ChildRuleEntry[] = [
  { driver: 'qcow2', child: 'file', role: IMAGE, steps: storageRule(true, true) },
  { driver: 'qcow2', child: 'file', role: METADATA_PRIMARY, steps: storageRule(false, true) },
  { driver: 'qcow2', child: 'data-file', role: DATA, steps: storageRule(true, false) },
  { driver: 'qcow2', child: 'backing', role: COW_ROLE, steps: COW_RULE },
  { driver: 'raw', child: 'file', role: FILTERED, steps: FILTER_RULE },
  // raw with offset/size: P exactly (raw drops the W/S that DATA would add), Sh − S
  { driver: 'raw', child: 'file', role: DATA_PRIMARY, steps: [{ op: 'shared-remove', perms: S }] },
  { driver: 'throttle', child: 'file', role: FILTERED, steps: FILTER_RULE },
  { driver: 'copy-on-read', child: 'file', role: FILTERED, steps: COR_RULE },
  { driver: 'blkdebug', child: 'image', role: FILTERED, steps: BLKDEBUG_RULE },
  { driver: 'blkverify', child: 'raw', role: FILTERED, steps: FILTER_RULE },
  { driver: 'blkverify', child: 'test', role: DATA, steps: storageRule(true, false) },
  { driver: 'quorum', child: 'children.*', role: DATA, steps: QUORUM_RULE },
  // mirror_top: the job tells its mode (NodeFacts.mirrorMode): stopping, active commit, or a plain mirror
  { driver: 'mirror_top', child: 'backing', role: FILTERED, when: mirrorMode('stopping'), steps: NOTHING_ALL_SHARED },
  { driver: 'mirror_top', child: 'backing', role: FILTERED, when: mirrorMode('commit'), steps: MIRROR_COMMIT_RULE },
  { driver: 'mirror_top', child: 'backing', role: FILTERED, steps: FILTER_RULE },
  { driver: 'commit_top', child: 'backing', role: FILTERED, steps: NOTHING_ALL_SHARED },
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
  /** Read-only is false (after a pending reopen) and the node is active. */
  readonly writable: boolean;
  readonly inactive: boolean;
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
  return { takeChildPerms: permsIn(o['take-child-perms']), unshareChildPerms: permsIn(o['unshare-child-perms']), rewritesCorrupted };
}

export type RuleResult =
  | { readonly ok: true; readonly perm: PermSet; readonly shared: PermSet }
  | { readonly ok: false; readonly reason: 'no-rule' };

export function matchesChild(pattern: ChildPattern, name: string): boolean {
  return pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) && /^\d+$/.test(name.slice(pattern.length - 1)) : pattern === name;
}

/** Drivers the table does not list (test doubles) fall back to the generic rule of the edge's role. */
export function findRule(x: RuleInput): readonly Step[] | undefined {
  if (!CHILD_RULES.some((e) => e.driver === x.driver)) return genericRule(x.role);
  const fits = (e: ChildRuleEntry): boolean => e.driver === x.driver && matchesChild(e.child, x.childName) && sameRole(e.role, x.role);
  return CHILD_RULES.find((e) => fits(e) && (e.when === undefined || e.when(x, x.perm)))?.steps;
}

/** §2.1: the rule of the table, then force-share on the child makes shared ALL. */
export function childPermFor(input: RuleInput): RuleResult {
  const steps = findRule(input);
  if (steps === undefined) return { ok: false, reason: 'no-rule' };
  let cur: PermPair = { perm: input.perm, shared: input.shared };
  for (const s of steps) {
    if ('if' in s && s.if !== undefined && !s.if(input, cur.perm)) continue;
    cur = applyStep(s, cur, input);
  }
  const { perm, shared } = cur;
  return { ok: true, perm, shared: input.childForceShare ? ALL : shared };
}

interface PermPair {
  readonly perm: PermSet;
  readonly shared: PermSet;
}

type SetOp = (a: PermSet, b: PermSet) => PermSet;
const replace: SetOp = (_, b) => b;
/** Which of the pair each set step changes, and how. */
const OPS: Readonly<Record<Exclude<Step['op'], 'perm-add-taken' | 'shared-remove-unshared'>, readonly ['perm' | 'shared', SetOp]>> = {
  ...{ 'perm-add': ['perm', unionOf], 'perm-remove': ['perm', minusOf], 'perm-keep': ['perm', intersectOf], 'perm-set': ['perm', replace] },
  ...{ 'shared-add': ['shared', unionOf], 'shared-remove': ['shared', minusOf], 'shared-keep': ['shared', intersectOf], 'shared-set': ['shared', replace] },
};

function applyStep(s: Step, { perm, shared }: PermPair, input: RuleInput): PermPair {
  if (!('perms' in s)) {
    const { takeChildPerms = NONE, unshareChildPerms = NONE } = input.facts;
    return s.op === 'perm-add-taken' ? { perm: unionOf(perm, takeChildPerms), shared } : { perm, shared: minusOf(shared, unshareChildPerms) };
  }
  const [side, op] = OPS[s.op];
  return side === 'perm' ? { perm: op(perm, s.perms), shared } : { perm, shared: op(shared, s.perms) };
}

function permsIn(v: unknown): PermSet {
  return Array.isArray(v) ? PERMS.filter((p) => v.includes(p)) : NONE;
}
