// quorum's child perms (semantics §2.3): P (∪ W with rewrite-corrupted), shared Sh ∩ {R, U}.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import { intersect, permSet, union, RU, W } from '../../qmp/perm-set.ts';
import { DATA } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { quorum } from './quorum.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';

function withQuorum(extra: JsonObject): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
  for (const c of ['c0', 'c1', 'c2']) run(l, 'blockdev-add', { driver: 'null-co', 'node-name': c });
  run(l, 'blockdev-add', { driver: 'quorum', 'node-name': 'q', children: ['c0', 'c1', 'c2'], 'vote-threshold': 2, ...extra });
  return l;
}

describe('quorum child perms', () => {
  it('plain: P passed, only R and U ever shared', () => {
    const l = withQuorum({});
    for (const perm of SUBSETS) {
      for (const shared of SUBSETS) {
        const got = quorum.childPerm?.({ node: node(l, 'q'), childName: 'children.0', role: DATA, perm, shared, writable: true });
        expect(got, `P=[${perm.join()}] Sh=[${shared.join()}]`).toEqual({ perm, shared: intersect(shared, RU) });
      }
    }
  });

  it('rewrite-corrupted adds write to every child edge', () => {
    const l = withQuorum({ 'rewrite-corrupted': true });
    for (const perm of SUBSETS) {
      for (const shared of SUBSETS) {
        const got = quorum.childPerm?.({ node: node(l, 'q'), childName: 'children.1', role: DATA, perm, shared, writable: false });
        expect(got).toEqual({ perm: union(perm, W), shared: intersect(shared, RU) });
      }
    }
  });

  it('rewrite-corrupted is ignored with read-pattern fifo', () => {
    const l = withQuorum({ 'rewrite-corrupted': true, 'read-pattern': 'fifo' });
    expect(queriedEdge(l, 'q', 'children.0')).toEqual(qmp(permSet(), RU));
  });

  it('in the graph: children are DATA edges named children.N, [-/RU] without parents, [RW/RU] under a writable export', () => {
    const l = withQuorum({});
    expect(node(l, 'q').children.map((e) => [e.name, e.role]).sort()).toEqual([
      ['children.0', DATA],
      ['children.1', DATA],
      ['children.2', DATA],
    ]);
    expect(queriedEdge(l, 'q', 'children.2')).toEqual(qmp(permSet(), RU));
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'q', writable: true });
    for (const c of ['children.0', 'children.1', 'children.2']) expect(queriedEdge(l, 'q', c)).toEqual(qmp(permSet('consistent-read', 'write'), RU));
  });

  it('in the graph: rewrite-corrupted takes write even without parents', () => {
    expect(queriedEdge(withQuorum({ 'rewrite-corrupted': true }), 'q', 'children.1')).toEqual(qmp(W, RU));
  });

  it('a child added by x-blockdev-change gets the same rule', () => {
    const l = withQuorum({});
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'q' });
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'c3' });
    run(l, 'x-blockdev-change', { parent: 'q', node: 'c3' });
    expect(queriedEdge(l, 'q', 'children.3')).toEqual(qmp(permSet('consistent-read'), RU));
  });
});
