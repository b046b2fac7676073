// blkverify's child perms (semantics §2.3): `raw` is FILTERED (P/Sh), `test` is DATA (STORAGE rule).
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { defaultPerms } from '../core/default-perms.ts';
import { ALL_PERMS, minus, permSet, RWU } from '../../qmp/perm-set.ts';
import type { Perm } from '../../qmp/perm-set.ts';
import { bytesAt, bytesEnd } from '../core/read-content.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { blkverify, blkverifyReadsGarbage } from './blkverify.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';

const MiB = 1 << 20;

function withVerify(): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
  run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'a' });
  run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'b' });
  run(l, 'blockdev-add', { driver: 'blkverify', 'node-name': 'bv', raw: 'a', test: 'b' });
  return l;
}

describe('blkverify child perms', () => {
  it('raw: FILTERED, P/Sh unchanged; test: DATA, W if U, S if W, shared without S', () => {
    const l = withVerify();
    const bv = node(l, 'bv');
    const edge = (name: string) => bv.children.find((e) => e.name === name);
    const rule = blkverify.childPerm ?? defaultPerms;
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const rawRole = edge('raw')?.role;
          const testRole = edge('test')?.role;
          if (!rawRole || !testRole) throw new Error('blkverify lacks a child');
          expect(rule({ node: bv, childName: 'raw', role: rawRole, perm, shared, writable })).toEqual({ perm, shared });
          const want = new Set<Perm>(perm);
          if (want.has('write-unchanged')) want.add('write');
          if (want.has('write')) want.add('resize');
          const got = rule({ node: bv, childName: 'test', role: testRole, perm, shared, writable });
          expect(new Set(got.perm)).toEqual(want);
          expect(got.shared).toEqual(minus(shared, permSet('resize')));
        }
      }
    }
  });

  it('in the graph without parents: raw [-/ALL], test [-/RWU]', () => {
    const l = withVerify();
    expect(queriedEdge(l, 'bv', 'raw')).toEqual(qmp(permSet(), ALL_PERMS));
    expect(queriedEdge(l, 'bv', 'test')).toEqual(qmp(permSet(), RWU));
  });

  it('add-08: under a writable export only test takes resize', () => {
    const l = withVerify();
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'bv', writable: true });
    expect(queriedEdge(l, 'bv', 'raw')).toEqual(qmp(permSet('consistent-read', 'write'), RWU));
    expect(queriedEdge(l, 'bv', 'test')).toEqual(qmp(permSet('consistent-read', 'write', 'resize'), RWU));
  });
});

describe('blkverifyReadsGarbage', () => {
  it('ends on a graph with a loop (mirror-allows-loops makes one) and gives the loop-free answer', () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'a', 'read-zeroes': true });
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'b', 'read-zeroes': true });
    run(l, 'blockdev-add', { driver: 'blkverify', 'node-name': 'bv', raw: 'a', test: 'b' });
    const before = blkverifyReadsGarbage(l.env);
    expect(before).toBe(false);
    const bv = node(l, 'bv');
    const raw = bv.children.find((e) => e.name === 'raw');
    if (!raw) throw new Error('blkverify lacks raw');
    node(l, 'a').children.push({ ...raw, child: bv });
    expect(blkverifyReadsGarbage(l.env)).toBe(before);
  });
});

describe('blkverify bytesEnd', () => {
  it('past it no chunk differs (a mirror copying the tail skips them); the last chunk before it exits', () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'a.qcow2', format: 'qcow2', size: MiB }]));
    run(l, 'blockdev-add', { driver: 'file', 'node-name': 'f', filename: 'a.qcow2' });
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f' });
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'z', size: MiB });
    run(l, 'blockdev-add', { driver: 'blkverify', 'node-name': 'bv', raw: 'r', test: 'z' });
    const bv = node(l, 'bv');
    const end = bytesEnd(l.env, bv);
    const chunk = 4096;
    const exits = (off: number): boolean => {
      const b = bytesAt(l.env, bv, off, chunk);
      return b !== undefined && !(b instanceof Uint8Array);
    };
    expect(end).toBeGreaterThan(0);
    expect(exits(Math.floor((end - 1) / chunk) * chunk)).toBe(true);
    for (let off = Math.ceil(end / chunk) * chunk; off < MiB; off += chunk) expect(exits(off)).toBe(false);
    expect(bytesEnd(l.env, node(l, 'z'))).toBe(0);
  });
});
