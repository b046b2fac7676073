// throttle's child perms (semantics §2.3): a plain filter, P/Sh passed through unchanged.
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { defaultPerms } from '../core/default-perms.ts';
import { ALL_PERMS, permSet } from '../../qmp/perm-set.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { throttle } from './throttle.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';


function layer(): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
  run(l, 'object-add', { 'qom-type': 'throttle-group', id: 'tg' });
  run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'n' });
  run(l, 'blockdev-add', { driver: 'throttle', 'node-name': 't1', file: 'n', 'throttle-group': 'tg' });
  run(l, 'blockdev-add', { driver: 'throttle', 'node-name': 't2', file: 't1', 'throttle-group': 'tg' });
  return l;
}


describe('throttle child perms', () => {
  it('passes every P/Sh through unchanged', () => {
    const l = layer();
    const rule = throttle.childPerm ?? defaultPerms;
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          expect(rule({ node: node(l, 't1'), childName: 'file', role: FILTERED_PRIMARY, perm, shared, writable })).toEqual({ perm, shared });
        }
      }
    }
  });

  it('stacked filters without parents take nothing and share everything', () => {
    const l = layer();
    expect(queriedEdge(l, 't2', 'file')).toEqual(qmp(permSet(), ALL_PERMS));
    expect(queriedEdge(l, 't1', 'file')).toEqual(qmp(permSet(), ALL_PERMS));
  });

  it('a writable export on the top filter reaches the bottom unchanged', () => {
    const l = layer();
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 't2', writable: true });
    const want = qmp(permSet('consistent-read', 'write'), permSet('consistent-read', 'write', 'write-unchanged'));
    expect(queriedEdge(l, 't2', 'file')).toEqual(want);
    expect(queriedEdge(l, 't1', 'file')).toEqual(want);
  });

  it('the file edge is the FILTERED|PRIMARY child', () => {
    expect(node(layer(), 't1').children.map((e) => [e.name, e.role])).toEqual([['file', FILTERED_PRIMARY]]);
  });
});
