// bdrv_default_perms by role, against the tables of semantics §2.2, for every parent perm/shared pair.
import { describe, expect, it } from 'vitest';
import type { ChildPermContext } from '../drivers/driver.ts';
import { BlockLayer } from '../block-layer.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { cowPerms, defaultPerms, filterPerms, storagePerms } from './default-perms.ts';
import type { BlockNode } from './graph.ts';
import { PERMS, permSet, R, RW, RWU } from '../../qmp/perm-set.ts';
import type { Perm, PermPair, PermSet } from '../../qmp/perm-set.ts';
import { COW, DATA, DATA_PRIMARY, FILTERED_PRIMARY, IMAGE } from './role.ts';
import type { ChildRole } from './role.ts';

// All 16 subsets of the four perms: the rules are small enough to check exhaustively.
const SUBSETS: PermSet[] = Array.from({ length: 16 }, (_, m) => permSet(...PERMS.filter((_p, i) => (m >> i) & 1)));

// The spec tables, written with plain sets so they do not share code with the impl.
type Spec = (p: Set<Perm>, sh: Set<Perm>, writable: boolean) => { perm: Set<Perm>; shared: Set<Perm> };
const specFilter: Spec = (p, sh) => ({ perm: new Set(p), shared: new Set(sh) });
const specCow: Spec = (p, sh) => {
  const perm = new Set([...p].filter((x) => x === 'consistent-read'));
  const shared = new Set<Perm>(['consistent-read', 'write-unchanged']);
  if (sh.has('write')) ['write', 'resize'].forEach((x) => shared.add(x as Perm));
  return { perm, shared };
};
const specStorage =
  (data: boolean, metadata: boolean): Spec =>
  (p, sh, writable) => {
    const perm = new Set(p);
    const shared = new Set(sh);
    if (metadata) {
      if (writable) ['write', 'resize'].forEach((x) => perm.add(x as Perm));
      perm.add('consistent-read');
      shared.delete('write');
      shared.delete('resize');
    }
    if (data) {
      if (perm.has('write-unchanged')) perm.add('write');
      if (perm.has('write')) perm.add('resize');
      shared.delete('resize');
    }
    return { perm, shared };
  };

function nullNode(): BlockNode {
  const layer = new BlockLayer(new MemoryImageStore());
  layer.execute('blockdev-add', { driver: 'null-co', 'node-name': 'n' });
  const n = layer.env.graph.nodes.get('n');
  if (!n) throw new Error('null-co node was not created');
  return n;
}

const NODE = nullNode();
const ctx = (role: ChildRole, perm: PermSet, shared: PermSet, writable: boolean): ChildPermContext => ({
  node: NODE,
  childName: 'c',
  role,
  perm,
  shared,
  writable,
});
const asSets = (r: PermPair) => ({ perm: new Set(r.perm), shared: new Set(r.shared) });

function checkAll(rule: (c: ChildPermContext) => PermPair, role: ChildRole, spec: Spec): void {
  for (const writable of [false, true]) {
    for (const p of SUBSETS) {
      for (const sh of SUBSETS) {
        const got = rule(ctx(role, p, sh, writable));
        const want = spec(new Set(p), new Set(sh), writable);
        expect(asSets(got), `P=[${p.join()}] Sh=[${sh.join()}] writable=${writable}`).toEqual(want);
        // results are canonical PermSets, so callers may compare them element-wise
        expect(got.perm).toEqual(permSet(...got.perm));
        expect(got.shared).toEqual(permSet(...got.shared));
      }
    }
  }
}

describe('default child perms (semantics §2.2), exhaustively', () => {
  it('FILTER passes perm and shared through', () => checkAll(filterPerms, FILTERED_PRIMARY, specFilter));
  it('COW reads only, shares R U and W S when the parent shares W', () => checkAll(cowPerms, COW, specCow));
  it('STORAGE with METADATA and DATA (qcow2 file, IMAGE)', () => checkAll((c) => storagePerms(c, true, true), IMAGE, specStorage(true, true)));
  it('STORAGE with DATA only', () => checkAll((c) => storagePerms(c, true, false), DATA, specStorage(true, false)));
  it('STORAGE with METADATA only', () => checkAll((c) => storagePerms(c, false, true), IMAGE, specStorage(false, true)));
  it('defaultPerms dispatches on the role', () => {
    checkAll(defaultPerms, FILTERED_PRIMARY, specFilter);
    checkAll(defaultPerms, COW, specCow);
    checkAll(defaultPerms, IMAGE, specStorage(true, true));
    checkAll(defaultPerms, DATA, specStorage(true, false));
    checkAll(defaultPerms, DATA_PRIMARY, specStorage(true, false));
  });
});

describe('default child perms, worked examples from the spec', () => {
  it('add-01: a writable qcow2 under a writable export takes RWS on its file and shares RU', () => {
    expect(defaultPerms(ctx(IMAGE, RW, RWU, true))).toEqual({ perm: permSet('consistent-read', 'write', 'resize'), shared: permSet('consistent-read', 'write-unchanged') });
  });

  it('add-01: the backing edge under that export reads and shares everything', () => {
    expect(defaultPerms(ctx(COW, RW, RWU, true))).toEqual({ perm: R, shared: permSet('consistent-read', 'write', 'write-unchanged', 'resize') });
  });

  it('a read-only layer without parents still reads its file (metadata) and shares RU', () => {
    expect(defaultPerms(ctx(IMAGE, permSet(), permSet('consistent-read', 'write', 'write-unchanged', 'resize'), false))).toEqual({
      perm: R,
      shared: permSet('consistent-read', 'write-unchanged'),
    });
  });

  it('a DATA child upgrades write-unchanged to write and then write to resize', () => {
    expect(defaultPerms(ctx(DATA, permSet('write-unchanged'), permSet(), false)).perm).toEqual(permSet('write', 'write-unchanged', 'resize'));
  });

  it('a COW parent that does not share write keeps its backing from being written', () => {
    expect(defaultPerms(ctx(COW, R, R, true)).shared).toEqual(permSet('consistent-read', 'write-unchanged'));
  });
});
