// raw's child-perm rule (semantics §2.3): a filter without a window, a DATA child that takes exactly P with one.
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { minus, permSet, S, RW } from '../../qmp/perm-set.ts';
import { DATA_PRIMARY, FILTERED_PRIMARY } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { raw } from './raw.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';

const MiB = 1024 * 1024;

function layer(): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'd.raw', format: 'raw', size: 2 * MiB }]));
  run(l, 'blockdev-add', { driver: 'file', 'node-name': 'f', filename: 'd.raw' });
  return l;
}

describe('raw child perms', () => {
  it('without offset/size the file child is FILTERED and gets P/Sh unchanged', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f' });
    const r = node(l, 'r');
    expect(r.children[0]?.role).toEqual(FILTERED_PRIMARY);
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          expect(raw.childPerm?.({ node: r, childName: 'file', role: FILTERED_PRIMARY, perm, shared, writable })).toEqual({ perm, shared });
        }
      }
    }
  });

  it('with a window the file child is DATA: perm is exactly P (no W/S added), shared drops resize', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f', offset: 512, size: MiB });
    const r = node(l, 'r');
    expect(r.children[0]?.role).toEqual(DATA_PRIMARY);
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const got = raw.childPerm?.({ node: r, childName: 'file', role: DATA_PRIMARY, perm, shared, writable });
          expect(got, `P=[${perm.join()}] Sh=[${shared.join()}]`).toEqual({ perm, shared: minus(shared, S) });
        }
      }
    }
  });

  it('a size alone also makes a DATA child', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'f', size: MiB });
    expect(node(l, 'r').children[0]?.role).toEqual(DATA_PRIMARY);
  });

  it('through the graph: unused raw nodes take nothing; a window unshares resize', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'whole', file: 'f' });
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'part', file: 'f', offset: MiB, size: MiB });
    expect(queriedEdge(l, 'whole', 'file')).toEqual(qmp(permSet(), permSet('consistent-read', 'write', 'write-unchanged', 'resize')));
    expect(queriedEdge(l, 'part', 'file')).toEqual(qmp(permSet(), permSet('consistent-read', 'write', 'write-unchanged')));
  });

  it('through the graph: writable exports on both pass R W down, no resize on the window', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'whole', file: 'f' });
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'part', file: 'f', offset: 0, size: MiB });
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e1', 'node-name': 'whole', writable: true });
    run(l, 'block-export-add', { type: 'nbd', id: 'e2', 'node-name': 'part', writable: true });
    expect(queriedEdge(l, 'whole', 'file')).toEqual(qmp(RW, permSet('consistent-read', 'write', 'write-unchanged')));
    expect(queriedEdge(l, 'part', 'file')).toEqual(qmp(RW, permSet('consistent-read', 'write', 'write-unchanged')));
  });

  it('a window node refuses resize of its file (DATA unshares it) and of itself (fixed size)', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'part', file: 'f', offset: 0, size: MiB });
    const f = l.execute('block_resize', { 'node-name': 'f', size: 4 * MiB });
    expect(f.kind === 'reply' && !f.result.ok && f.result.error.message).toBe(
      "Permission conflict on node 'f': permissions 'resize' are both required by an unnamed block device (uses node 'f' as 'root' child) and unshared by node 'part' (uses node 'f' as 'file' child).",
    );
    const p = l.execute('block_resize', { 'node-name': 'part', size: MiB });
    expect(p.kind === 'reply' && !p.result.ok && p.result.error.message).toBe('Cannot resize fixed-size raw disks');
  });
});
