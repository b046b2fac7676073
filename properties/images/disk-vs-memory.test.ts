import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQemuImgAvailable } from '../../qemu/available.ts';
import { createImages } from '../../qemu/images.ts';
import { DiskImageStore } from '../../impl/images/disk.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const MiB = 1024 * 1024;

describe('MemoryImageStore', () => {
  it('models fresh images like qemu-img create', () => {
    const store = MemoryImageStore.fromSpecs([
      { filename: 'base.qcow2', format: 'qcow2', size: MiB },
      { filename: 'top.qcow2', format: 'qcow2', size: MiB, backing: 'base.qcow2' },
      { filename: 'd.raw', format: 'raw', size: 1000 },
    ]);
    expect(store.read('base.qcow2')).toEqual({ filename: 'base.qcow2', length: 196616, header: { kind: 'qcow2', virtualSize: MiB, clusterSize: 65536 } });
    expect(store.read('top.qcow2')?.header).toEqual({ kind: 'qcow2', virtualSize: MiB, clusterSize: 65536, backingFile: 'base.qcow2', backingFormat: 'qcow2' });
    // qemu-img rounds raw lengths up to whole sectors too
    expect(store.read('d.raw')).toEqual({ filename: 'd.raw', length: 1024, header: { kind: 'raw' } });
    expect(store.read('missing')).toBeUndefined();
  });
});

describe('DiskImageStore', () => {
  const tempDir = tempDirs('bgcheck-disk-', 'all');
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
  });

  it('reads raw files by length, treats a bad qcow2 header as raw, and misses missing files', () => {
    writeFileSync(join(dir, 'r.bin'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, 'broken.qcow2'), Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 9]));
    const store = new DiskImageStore(dir);
    expect(store.read('r.bin')).toEqual({ filename: 'r.bin', length: 4096, header: { kind: 'raw' } });
    expect(store.read('broken.qcow2')?.header).toEqual({ kind: 'raw' });
    expect(store.read('nope.qcow2')).toBeUndefined();
  });

  it('keeps writes in memory and leaves the directory alone', () => {
    const store = new DiskImageStore(dir);
    const before = readdirSync(dir).sort();
    store.write({ filename: 'new.qcow2', length: 196616, header: { kind: 'qcow2', virtualSize: MiB, clusterSize: 65536 } });
    store.write({ filename: 'r.bin', length: 1, header: { kind: 'raw' } });
    expect(store.read('new.qcow2')?.length).toBe(196616);
    expect(store.read('r.bin')?.length).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(new DiskImageStore(dir).read('r.bin')?.length).toBe(4096);
  });
});

const qcow2 = (filename: string, size: number, extra: Partial<ImageSpec> = {}): ImageSpec => ({ filename, format: 'qcow2', size, ...extra });
const specs: readonly ImageSpec[] = [
  qcow2('base.qcow2', MiB),
  qcow2('empty.qcow2', 0),
  qcow2('odd.qcow2', 1000),
  qcow2('big.qcow2', 1024 * MiB),
  qcow2('c512.qcow2', 2 * MiB, { cluster_size: 512 }),
  qcow2('c512-big.qcow2', 1024 * MiB + 512, { cluster_size: 512 }),
  qcow2('c4k.qcow2', 10 * 1024 * MiB, { cluster_size: 4096 }),
  qcow2('c2m.qcow2', 3 * MiB, { cluster_size: 2 * MiB }),
  qcow2('mid.qcow2', MiB, { backing: 'base.qcow2', backing_fmt: 'qcow2' }),
  qcow2('top.qcow2', 2 * MiB, { backing: 'mid.qcow2', cluster_size: 4096 }),
  qcow2('over-raw.qcow2', MiB, { backing: 'd.raw', backing_fmt: 'raw' }),
  { filename: 'd.raw', format: 'raw', size: MiB },
  { filename: 'odd.raw', format: 'raw', size: 1000 },
  { filename: 'zero.raw', format: 'raw', size: 0 },
];

describe.skipIf(!isQemuImgAvailable())('DiskImageStore over qemu-img images (skipped: qemu-img not installed)', () => {
  const tempDir = tempDirs('bgcheck-qemu-img-', 'all');
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    // d.raw must exist before over-raw.qcow2 names it as backing
    const ordered = [...specs.filter((s) => s.format === 'raw'), ...specs.filter((s) => s.format === 'qcow2')];
    const made = await createImages(dir, ordered);
    if (!made.ok) throw new Error(made.error.message);
  });

  it.each(specs.map((s) => [s.filename, s] as const))('agrees with MemoryImageStore.fromSpecs on %s', (name, spec) => {
    expect(new DiskImageStore(dir).read(name)).toEqual(MemoryImageStore.fromSpecs([spec]).read(name));
  });
});
