import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../impl/block-layer.ts';
import { MemoryImageStore } from '../impl/images/memory.ts';
import type { JsonObject } from '../qmp/types.ts';
import { diffSnapshots } from './snapshot-diff.ts';
import { takeSnapshot } from './snapshot.ts';

function layerWith(commands: readonly [string, JsonObject][]): BlockLayer {
  const layer = new BlockLayer(
    MemoryImageStore.fromSpecs([
      { filename: 'b.qcow2', format: 'qcow2', size: 1048576 },
      { filename: 't.qcow2', format: 'qcow2', size: 1048576, backing: 'b.qcow2' },
    ]),
  );
  for (const [name, args] of commands) layer.execute(name, args);
  return layer;
}

const CHAIN: readonly [string, JsonObject][] = [
  ['nbd-server-start', { addr: { type: 'unix', data: { path: 's' } } }],
  ['blockdev-add', { driver: 'qcow2', 'node-name': 't', file: { driver: 'file', 'node-name': 'tf', filename: 't.qcow2' } }],
  ['block-export-add', { type: 'nbd', id: 'e0', 'node-name': 't', writable: true }],
];

describe('takeSnapshot', () => {
  it('is plain data: nodes, edges with keys and roles, parents lists, exports', () => {
    const g = takeSnapshot(layerWith(CHAIN).env);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
    expect(g.nodes.map((n) => [n.name, n.driver, n.readOnly, n.autoNamed, n.inheritsFrom]).sort()).toEqual([
      ['#block001', 'qcow2', true, true, 't'],
      ['#block002', 'file', true, true, '#block001'],
      ['t', 'qcow2', false, false, null],
      ['tf', 'file', false, false, 't'],
    ]);
    const top = g.edges.filter((e) => e.parent.kind === 'node' && e.parent.name === 't');
    expect(top.map((e) => [e.key, e.child, e.role.kind, e.perm, e.shared])).toEqual([
      ['node:t/backing', '#block001', 'cow', ['consistent-read'], ['consistent-read', 'write', 'write-unchanged', 'resize']],
      ['node:t/file', 'tf', 'storage', ['consistent-read', 'write', 'resize'], ['consistent-read', 'write-unchanged']],
    ]);
    const root = g.edges.find((e) => e.parent.kind === 'backend');
    expect(root?.key).toMatch(/^backend:\d+\/root$/);
    expect(g.nodes.find((n) => n.name === 't')?.parentEdges).toEqual([root?.key]);
    expect(g.exports).toEqual([{ id: 'e0', node: 't', writable: true }]);
    expect(g.nbdServerRunning).toBe(true);
    expect(g.nodes.find((n) => n.name === 't')?.options).toEqual({ driver: 'qcow2', 'node-name': 't' });
  });

  it('does not change when the graph changes later (a copy, not a view)', () => {
    const layer = layerWith(CHAIN);
    const before = takeSnapshot(layer.env);
    const text = JSON.stringify(before);
    layer.execute('block-export-del', { id: 'e0' });
    layer.execute('blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 't', file: 'tf', backing: null, 'read-only': true }] });
    expect(JSON.stringify(before)).toBe(text);
    const diff = diffSnapshots(before, takeSnapshot(layer.env));
    expect(diff).toContain('export removed: e0');
    // backing: null dropped the implicitly opened backing chain
    expect(diff).toContain('node removed: #block001');
  });
});
