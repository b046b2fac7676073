import { describe, expect, it } from 'vitest';
import { CHILD_RULES, DRIVER_FACTS, childPermFor, optionFacts } from './perm-rules.ts';
import type { RoleSpec, RuleInput } from './perm-rules.ts';
import { ALL_PERMS, permSet } from '../qmp/perm-set.ts';
import type { Perm, PermSet } from '../qmp/perm-set.ts';

const P: Readonly<Record<string, Perm>> = { R: 'consistent-read', W: 'write', U: 'write-unchanged', S: 'resize' };
const ps = (s: string): PermSet => (s === 'ALL' ? ALL_PERMS : permSet(...[...s].flatMap((c) => (P[c] ? [P[c]] : []))));

const FILTERED: RoleSpec = { kind: 'filtered', primary: true };
const IMAGE: RoleSpec = { kind: 'storage', data: true, metadata: true, primary: true };
const DATA: RoleSpec = { kind: 'storage', data: true, metadata: false, primary: false };
const DATA_PRIMARY: RoleSpec = { kind: 'storage', data: true, metadata: false, primary: true };

function rule(driver: string, childName: string, role: RoleSpec, perm: string, shared: string, more: Partial<RuleInput> = {}): string {
  const r = childPermFor({
    driver, childName, role, perm: ps(perm), shared: ps(shared), writable: true, facts: {}, childForceShare: false, ...more,
  });
  if (!r.ok) return 'no-rule';
  const show = (s: PermSet): string => (s.length === 4 ? 'ALL' : s.length === 0 ? '-' : s.map((p) => Object.keys(P).find((k) => P[k] === p)).join(''));
  return `${show(r.perm)}/${show(r.shared)}`;
}

describe('perm rules reproduce the edges QEMU 7.2 showed (semantics §2.3 and §6)', () => {
  it('add-01: a qcow2 chain under a writable export', () => {
    expect(rule('qcow2', 'file', IMAGE, 'RW', 'RWU')).toBe('RWS/RU');
    expect(rule('qcow2', 'backing', { kind: 'cow' }, 'RW', 'RWU')).toBe('R/ALL');
    expect(rule('qcow2', 'file', IMAGE, 'R', 'ALL', { writable: false })).toBe('R/RU');
    expect(rule('qcow2', 'backing', { kind: 'cow' }, 'R', 'ALL', { writable: false })).toBe('R/ALL');
  });

  it('add-03/04: raw windows pass P exactly, throttle passes everything', () => {
    expect(rule('raw', 'file', DATA_PRIMARY, 'RW', 'RWU')).toBe('RW/RWU');
    expect(rule('raw', 'file', DATA_PRIMARY, 'U', 'ALL')).toBe('U/RWU');
    expect(rule('throttle', 'file', FILTERED, 'RW', 'RWU')).toBe('RW/RWU');
  });

  it('add-05/06: copy-on-read always takes U; blkdebug takes and unshares what its options say', () => {
    expect(rule('copy-on-read', 'file', FILTERED, '-', 'ALL')).toBe('U/ALL');
    expect(rule('blkdebug', 'image', FILTERED, '-', 'ALL', { facts: optionFacts({ 'take-child-perms': ['resize'], 'unshare-child-perms': ['write'] }) })).toBe('S/RUS');
  });

  it('add-07/08 and core-quorum-03: quorum never shares W/S; rewrite-corrupted adds W unless fifo; blkverify', () => {
    expect(rule('quorum', 'children.2', DATA, 'RW', 'RWU')).toBe('RW/RU');
    expect(rule('quorum', 'children.0', DATA, '-', 'ALL', { facts: optionFacts({ 'rewrite-corrupted': true }) })).toBe('W/RU');
    expect(rule('quorum', 'children.0', DATA, '-', 'ALL', { facts: optionFacts({ 'rewrite-corrupted': true, 'read-pattern': 'fifo' }) })).toBe('-/RU');
    expect(rule('blkverify', 'raw', FILTERED, 'RW', 'RWU')).toBe('RW/RWU');
    expect(rule('blkverify', 'test', DATA, 'RW', 'RWU')).toBe('RWS/RWU');
  });

  it('force-share on the child makes shared ALL_PERMS (§2.1)', () => {
    expect(rule('qcow2', 'file', IMAGE, 'R', 'ALL', { writable: false, childForceShare: true })).toBe('R/ALL');
  });

  it('mirror_top and commit_top (§2.3): running, commit mode, stopping', () => {
    expect(rule('mirror_top', 'backing', FILTERED, 'RW', 'RWU')).toBe('RW/RWU');
    expect(rule('mirror_top', 'backing', FILTERED, 'RW', 'RU', { facts: { mirrorMode: 'commit' } })).toBe('W/RWU');
    expect(rule('mirror_top', 'backing', FILTERED, 'RW', 'RWU', { facts: { mirrorMode: 'stopping' } })).toBe('-/ALL');
    expect(rule('commit_top', 'backing', FILTERED, 'RW', 'RWU')).toBe('-/ALL');
  });

  it('refuses edges no row covers: wrong child name, wrong role, no role', () => {
    expect(rule('qcow2', 'image', FILTERED, '-', 'ALL')).toBe('no-rule');
    expect(rule('throttle', 'file', IMAGE, '-', 'ALL')).toBe('no-rule');
    expect(rule('quorum', 'children.x', DATA, '-', 'ALL')).toBe('no-rule');
    expect(rule('test-double', 'x', { kind: 'none' }, '-', 'ALL')).toBe('no-rule');
    expect(rule('test-double', 'x', DATA, 'U', 'ALL')).toBe('no-rule');
  });

  it('lists facts for every driver the table has rules for', () => {
    for (const r of CHILD_RULES) expect(DRIVER_FACTS[r.driver], r.driver).toBeDefined();
    for (const [d, f] of Object.entries(DRIVER_FACTS)) if (f.isFilter) expect(CHILD_RULES.some((r) => r.driver === d && r.child === f.filteredChild), d).toBe(true);
  });
});
