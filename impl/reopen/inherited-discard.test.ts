// bdrv_inherited_options defaults discard=unmap on every child a parent opens from a nested dict, at open and again
// at each reopen that requeues the child through its parent (measured on 7.2.22, detect-zeroes=unmap needs it).
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { MemoryImageStore } from '../images/memory.ts';
import type { JsonObject } from '../../qmp/types.ts';

const UNMAP_REFUSED = 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap';

function layer(): { run: (name: string, args: JsonObject) => string } {
  const specs = [{ filename: 't.qcow2', format: 'qcow2' as const, size: 65536 }, { filename: 'b.qcow2', format: 'qcow2' as const, size: 65536 }];
  const l = new BlockLayer(MemoryImageStore.fromSpecs(specs));
  return {
    run(name, args) {
      const o = l.execute(name, args);
      if (o.kind !== 'reply') throw new Error(`${name}: ${o.kind}`);
      return o.result.ok ? 'ok' : o.result.error.message;
    },
  };
}

const f = (extra: JsonObject = {}): JsonObject => ({ driver: 'file', 'node-name': 'f', filename: 't.qcow2', ...extra });
const reopen = (...options: JsonObject[]): JsonObject => ({ options });
const Q = { driver: 'qcow2', 'node-name': 'q', file: f() };

describe('discard=unmap inherited by a nested child (bdrv_inherited_options, 7.2.22)', () => {
  it('lets a nested file, backing, or filter child reopen with detect-zeroes=unmap alone', () => {
    const { run } = layer();
    const backing = { driver: 'qcow2', 'node-name': 'b', file: { driver: 'file', 'node-name': 'bf', filename: 'b.qcow2' } };
    expect(run('blockdev-add', { ...Q, backing })).toBe('ok');
    expect(run('blockdev-reopen', reopen(f({ 'detect-zeroes': 'unmap' })))).toBe('ok');
    expect(run('blockdev-reopen', reopen({ driver: 'file', 'node-name': 'bf', filename: 'b.qcow2', 'detect-zeroes': 'unmap' }))).toBe('ok');
    expect(run('blockdev-reopen', reopen({ driver: 'qcow2', 'node-name': 'b', file: 'bf', 'detect-zeroes': 'unmap' }))).toBe('ok');
    // the node blockdev-add opened itself defaults to ignore
    expect(run('blockdev-reopen', reopen({ driver: 'qcow2', 'node-name': 'q', file: 'f', backing: 'b', 'detect-zeroes': 'unmap' }))).toBe(UNMAP_REFUSED);
    expect(run('blockdev-add', { driver: 'copy-on-read', 'node-name': 'cor', file: { driver: 'null-co', 'node-name': 'nc' } })).toBe('ok');
    expect(run('blockdev-reopen', reopen({ driver: 'null-co', 'node-name': 'nc', 'detect-zeroes': 'unmap' }))).toBe('ok');
  });

  it('opens a nested child with detect-zeroes=unmap alone, not a top-level node', () => {
    const { run } = layer();
    expect(run('blockdev-add', { driver: 'raw', 'node-name': 'r', file: { driver: 'null-co', 'node-name': 'rn', 'detect-zeroes': 'unmap' } })).toBe('ok');
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'n', 'detect-zeroes': 'unmap' })).toBe(UNMAP_REFUSED);
  });

  it('keeps a top-level reopen\'s discard until a reopen through the parent defaults it to unmap again', () => {
    const { run } = layer();
    expect(run('blockdev-add', Q)).toBe('ok');
    expect(run('blockdev-reopen', reopen({ ...Q, file: f({ 'detect-zeroes': 'unmap' }) }))).toBe('ok');
    expect(run('blockdev-reopen', reopen({ ...Q, file: f({ discard: 'ignore', 'detect-zeroes': 'unmap' }) }))).toBe(UNMAP_REFUSED);
    expect(run('blockdev-reopen', reopen(f({ discard: 'ignore' })))).toBe('ok');
    expect(run('blockdev-reopen', reopen(f({ 'detect-zeroes': 'unmap' })))).toBe(UNMAP_REFUSED);
    // a reopen that leaves discard out keeps the node's flag (bdrv_get_flags)
    expect(run('blockdev-reopen', reopen(f()))).toBe('ok');
    expect(run('blockdev-reopen', reopen(f({ 'detect-zeroes': 'unmap' })))).toBe(UNMAP_REFUSED);
    // requeued through q: f's explicit options lack discard, so it inherits unmap again
    expect(run('blockdev-reopen', reopen({ ...Q, file: 'f' }))).toBe('ok');
    expect(run('blockdev-reopen', reopen(f({ 'detect-zeroes': 'unmap' })))).toBe('ok');
    // an explicit discard=ignore survives the requeue
    expect(run('blockdev-reopen', reopen(f({ discard: 'ignore' })))).toBe('ok');
    expect(run('blockdev-reopen', reopen({ ...Q, file: 'f' }))).toBe('ok');
    expect(run('blockdev-reopen', reopen(f({ 'detect-zeroes': 'unmap' })))).toBe(UNMAP_REFUSED);
  });
});
