// file-posix image locking: a node's perms must be shared by every other open of the same file.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import { ALL_PERMS, permSet } from '../../qmp/perm-set.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { file } from './file.ts';
import { node, run } from './test-support.ts';

const MiB = 1024 * 1024;

function layer(): BlockLayer {
  return new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'a.qcow2', format: 'qcow2', size: MiB }]));
}

function error(l: BlockLayer, name: string, args: JsonObject): string | undefined {
  const out = l.execute(name, args);
  return out.kind === 'reply' && !out.result.ok ? out.result.error.message : undefined;
}

const fileNode = (name: string, extra: JsonObject = {}): JsonObject => ({ driver: 'file', 'node-name': name, filename: 'a.qcow2', ...extra });
const qcow2On = (name: string, f: string, ro = false): JsonObject => ({ driver: 'qcow2', 'node-name': name, file: f, 'read-only': ro });

describe('file locking', () => {
  it('an unused file node locks nothing and shares everything', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    expect(node(l, 'f1').locked).toEqual({ perm: permSet(), shared: ALL_PERMS });
  });

  it('locks follow the cumulative perms of the node (writable qcow2 on top: RWS locked, RU shared)', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', qcow2On('q1', 'f1'));
    expect(node(l, 'f1').locked).toEqual({ perm: permSet('consistent-read', 'write', 'resize'), shared: permSet('consistent-read', 'write-unchanged') });
  });

  it('a second node on the same file cannot take what the first does not share', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', qcow2On('q1', 'f1', true));
    run(l, 'blockdev-add', fileNode('f2'));
    // q1 (read-only) shares R U only: a writable qcow2 through f2 needs the write lock
    expect(error(l, 'blockdev-add', qcow2On('q2', 'f2'))).toBe('Failed to get "write" lock');
    expect(l.env.graph.nodes.has('q2')).toBe(false);
    run(l, 'blockdev-add', qcow2On('q3', 'f2', true));
  });

  it('a second node cannot unshare what the first already uses', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', fileNode('f2'));
    run(l, 'blockdev-add', { driver: 'raw', 'node-name': 'r1', file: 'f1' });
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 'r1', writable: true });
    // a read-only qcow2 through f2 unshares write, which f1 holds for the export
    expect(error(l, 'blockdev-add', qcow2On('q2', 'f2', true))).toBe('Failed to get shared "write" lock');
  });

  it('locking=off nodes neither check nor are checked', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', qcow2On('q1', 'f1'));
    run(l, 'blockdev-add', fileNode('f2', { locking: 'off' }));
    run(l, 'blockdev-add', qcow2On('q2', 'f2'));
    expect(node(l, 'f2').locked).toEqual({ perm: permSet(), shared: ALL_PERMS });
  });

  it('closing a node releases its locks', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', qcow2On('q1', 'f1'));
    run(l, 'blockdev-add', fileNode('f2'));
    expect(error(l, 'blockdev-add', qcow2On('q2', 'f2'))).toBe('Failed to get "write" lock');
    run(l, 'blockdev-del', { 'node-name': 'q1' });
    expect(node(l, 'f1').locked).toEqual({ perm: permSet(), shared: ALL_PERMS });
    run(l, 'blockdev-add', qcow2On('q2', 'f2'));
  });

  it('the setPerm hook alone: conflicting perms are refused without changing the lock', () => {
    const l = layer();
    run(l, 'blockdev-add', fileNode('f1'));
    run(l, 'blockdev-add', qcow2On('q1', 'f1'));
    run(l, 'blockdev-add', fileNode('f2'));
    const f2 = node(l, 'f2');
    const before = f2.locked;
    const r = file.setPerm?.(l.env.graph, f2, permSet('consistent-read'), ALL_PERMS);
    expect(r?.ok).toBe(true);
    // q1 shares only R U on the file, and locks R W S itself
    const w = file.setPerm?.(l.env.graph, f2, permSet('write'), ALL_PERMS);
    expect(w?.ok === false && w.error.message).toBe('Failed to get "write" lock');
    const u = file.setPerm?.(l.env.graph, f2, permSet(), permSet('write', 'write-unchanged', 'resize'));
    expect(u?.ok === false && u.error.message).toBe('Failed to get shared "consistent read" lock');
    expect(f2.locked).toBe(before);
  });
});
