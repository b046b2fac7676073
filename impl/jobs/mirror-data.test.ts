// What a sync=full mirror writes into its target: zeroes first only where the target may zero by unmapping.
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { MemoryImageStore } from '../images/memory.ts';
import type { JsonObject } from '../../qmp/types.ts';

const TARGET_FILE = { driver: 'file', filename: 'r.raw', locking: 'off' };

/** Seed 21's 0010: a full mirror from a file node onto a second file node on the same image (locking off);
 * `parent`: the target is the `file` child a raw node opened from a nested dict. */
function mirrorOntoItself(targetOptions: JsonObject, parent = false): { before: unknown; after: unknown; status: unknown } {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'r.raw', format: 'raw', size: 65536, writes: [{ offset: 0, length: 512, pattern: 1 }] }]));
  const ok = (name: string, args: JsonObject): unknown => {
    const o = l.execute(name, args);
    expect(o).toMatchObject({ kind: 'reply', result: { ok: true } });
    return o.kind === 'reply' && o.result.ok ? o.result.value : undefined;
  };
  ok('blockdev-add', { driver: 'file', 'node-name': 'src', filename: 'r.raw' });
  const before = ok('observe-checksum', { 'node-name': 'src' });
  const target = { ...TARGET_FILE, 'node-name': 'tgt', ...targetOptions };
  ok('blockdev-add', parent ? { driver: 'raw', 'node-name': 'tr', file: target } : target);
  ok('blockdev-mirror', { 'job-id': 'j', device: 'src', target: 'tgt', sync: 'full' });
  return { before, after: ok('observe-checksum', { 'node-name': 'src' }), status: ok('observe-block-status', { 'node-name': 'src' }) };
}

describe('a sync=full mirror onto its own image (measured on 7.2.22)', () => {
  it('keeps the data without discard=unmap: the whole target is dirty and copied, nothing zeroed first', () => {
    const r = mirrorOntoItself({});
    expect(r.after).toEqual(r.before);
    // the copy writes the hole's zeroes without unmapping: qemu-img map says data all through afterwards
    expect(r.status).toEqual([{ start: 0, length: 65536, depth: 1, present: true, zero: false, data: true }]);
  });

  it('loses the data with discard=unmap: mirror_dirty_init zeroes the target first, then copies what is allocated', () => {
    const r = mirrorOntoItself({ discard: 'unmap' });
    expect(r.after).not.toEqual(r.before);
    expect(r.status).toEqual([{ start: 0, length: 65536, depth: 1, present: true, zero: true, data: false }]);
  });

  it('loses the data onto a nested file child: bdrv_inherited_options gave it discard=unmap', () => {
    const r = mirrorOntoItself({}, true);
    expect(r.after).not.toEqual(r.before);
    expect(r.status).toEqual([{ start: 0, length: 65536, depth: 1, present: true, zero: true, data: false }]);
  });

  it('keeps the data onto a nested file child that says discard=ignore', () => {
    const r = mirrorOntoItself({ discard: 'ignore' }, true);
    expect(r.after).toEqual(r.before);
    expect(r.status).toEqual([{ start: 0, length: 65536, depth: 1, present: true, zero: false, data: true }]);
  });
});
