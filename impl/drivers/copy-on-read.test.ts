// copy-on-read's child perms (semantics §2.3): (P ∩ RWS) ∪ U, shared (Sh ∩ RWS) ∪ U.
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { permSet } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { copyOnRead } from './copy-on-read.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';

const MiB = 1024 * 1024;

function layer(): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'a.qcow2', format: 'qcow2', size: MiB }]));
  run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', 'node-name': 'qf', filename: 'a.qcow2' } });
  run(l, 'blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor', file: 'q' });
  return l;
}


describe('copy-on-read child perms', () => {
  it('passes R W S through and always takes and shares write-unchanged', () => {
    const l = layer();
    const keep = (s: PermSet) => s.filter((p) => p !== 'write-unchanged');
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const got = copyOnRead.childPerm?.({ node: node(l, 'cor'), childName: 'file', role: FILTERED_PRIMARY, perm, shared, writable });
          expect(got, `P=[${perm.join()}] Sh=[${shared.join()}]`).toEqual({
            perm: permSet(...keep(perm), 'write-unchanged'),
            shared: permSet(...keep(shared), 'write-unchanged'),
          });
        }
      }
    }
  });

  it('without parents it still takes write-unchanged on its child', () => {
    expect(queriedEdge(layer(), 'cor', 'file')).toEqual(qmp(permSet('write-unchanged'), permSet('consistent-read', 'write', 'write-unchanged', 'resize')));
  });

  it('under a read-only export: R U taken, R W U shared (export never shares resize)', () => {
    const l = layer();
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'cor' });
    expect(queriedEdge(l, 'cor', 'file')).toEqual(qmp(permSet('consistent-read', 'write-unchanged'), permSet('consistent-read', 'write', 'write-unchanged')));
  });

  it('under a writable export: R W U taken', () => {
    const l = layer();
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'cor', writable: true });
    expect(queriedEdge(l, 'cor', 'file')).toEqual(qmp(permSet('consistent-read', 'write', 'write-unchanged'), permSet('consistent-read', 'write', 'write-unchanged')));
  });

  it('its unconditional write-unchanged makes a read-only child refuse it', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'ro', 'read-only': true });
    const out = l.execute('blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor2', file: 'ro', 'read-only': true });
    expect(out.kind === 'reply' && !out.result.ok && out.result.error.message).toBe('Block node is read-only');
  });
});
