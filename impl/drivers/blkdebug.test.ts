// blkdebug's child perms (semantics §2.3): filter perms ∪ take-child-perms, shared − unshare-child-perms.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import { ALL_PERMS, minus, permSet, union } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { blkdebug } from './blkdebug.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';



/** A blkdebug over a null-co node with the given take/unshare options (empty lists left out: QEMU refuses them). */
function withDebug(take: PermSet, unshare: PermSet): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
  run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'n' });
  const lists: JsonObject = {
    ...(take.length > 0 ? { 'take-child-perms': [...take] } : {}),
    ...(unshare.length > 0 ? { 'unshare-child-perms': [...unshare] } : {}),
  };
  run(l, 'blockdev-add', { driver: 'blkdebug', 'node-name': 'dbg', image: 'n', ...lists });
  return l;
}

describe('blkdebug child perms', () => {
  it('for every take/unshare option and parent P/Sh: (P ∪ take, Sh − unshare)', () => {
    // a sample of option pairs keeps this at a few thousand checks
    const options: [PermSet, PermSet][] = [
      [permSet(), permSet()],
      [permSet('resize'), permSet('write')],
      [ALL_PERMS, permSet()],
      [permSet(), ALL_PERMS],
      [permSet('write-unchanged'), permSet('consistent-read', 'resize')],
    ];
    for (const [take, unshare] of options) {
      const l = withDebug(take, unshare);
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const got = blkdebug.childPerm?.({ node: node(l, 'dbg'), childName: 'image', role: FILTERED_PRIMARY, perm, shared, writable: true });
          expect(got, `take=[${take.join()}] unshare=[${unshare.join()}] P=[${perm.join()}] Sh=[${shared.join()}]`).toEqual({
            perm: union(perm, take),
            shared: minus(shared, unshare),
          });
        }
      }
    }
  });

  it('in the graph: take resize, unshare write, no parents', () => {
    expect(queriedEdge(withDebug(permSet('resize'), permSet('write')), 'dbg', 'image')).toEqual(
      qmp(permSet('resize'), permSet('consistent-read', 'write-unchanged', 'resize')),
    );
  });

  it('in the graph: unshare consistent-read under a writable export', () => {
    const l = withDebug(permSet(), permSet('consistent-read'));
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'dbg', writable: true });
    expect(queriedEdge(l, 'dbg', 'image')).toEqual(qmp(permSet('consistent-read', 'write'), permSet('write', 'write-unchanged')));
  });

  it('the unshared perm conflicts with a later reader of the same child', () => {
    const l = withDebug(permSet(), permSet('consistent-read'));
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r', file: 'n' });
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    const out = l.execute('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r' });
    expect(out.kind === 'reply' && !out.result.ok && out.result.error.message).toBe(
      "Permission conflict on node 'n': permissions 'consistent read' are both required by node 'r' (uses node 'n' as 'file' child) and unshared by node 'dbg' (uses node 'n' as 'image' child).",
    );
  });

  it('an empty perm list is left unconsumed, so the open fails as for an unknown option', () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'n' });
    const out = l.execute('blockdev-add', { driver: 'blkdebug', 'node-name': 'dbg', image: 'n', 'unshare-child-perms': [] });
    expect(out.kind === 'reply' && !out.result.ok && out.result.error.message).toBe(
      "Block protocol 'blkdebug' doesn't support the option 'unshare-child-perms'",
    );
    expect(l.env.graph.nodes.has('dbg')).toBe(false);
  });

  it('unknown perm names in the options are refused by QAPI before any rule applies', () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'n' });
    const out = l.execute('blockdev-add', { driver: 'blkdebug', 'node-name': 'dbg', image: 'n', 'take-child-perms': ['graph-mod'] });
    expect(out.kind === 'reply' && out.result.ok).toBe(false);
    expect(l.env.graph.nodes.has('dbg')).toBe(false);
  });
});
