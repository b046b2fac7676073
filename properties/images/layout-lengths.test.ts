// Images with data layouts: the impl's image store grows a qcow2 file by the L2 tables and data clusters the writes
// allocate, as qemu-io on a fresh qemu-img image does (the file length is what file nodes and raw windows see).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQemuImgAvailable } from '../../qemu/available.ts';
import { createImages } from '../../qemu/images.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const MiB = 1024 * 1024;
const specs: readonly ImageSpec[] = [
  { filename: 'd.raw', format: 'raw', size: MiB, writes: [{ offset: 65536, length: 4096, pattern: 0x33 }] },
  { filename: 'a.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: 0, length: 65536, pattern: 1 }, { offset: 262144, length: 131072, zero: true }] },
  { filename: 'b.qcow2', format: 'qcow2', size: MiB, backing: 'a.qcow2', writes: [{ offset: 512, length: 512, pattern: 2 }, { offset: 65536, length: 196608, pattern: 3 }] },
  { filename: 's.qcow2', format: 'qcow2', size: 65536, cluster_size: 512, writes: [{ offset: 512, length: 1024, pattern: 4 }, { offset: 8192, length: 512, zero: true }] },
  // data into a plain zero cluster takes a new host cluster; into a zeroed data cluster (zero-alloc) it does not
  { filename: 'z.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: 131072, length: 65536, zero: true }, { offset: 131072, length: 65536, pattern: 5 }] },
  { filename: 'za.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: 0, length: 65536, pattern: 6 }, { offset: 0, length: 65536, zero: true }, { offset: 0, length: 65536, pattern: 7 }] },
];

describe.skipIf(!isQemuImgAvailable())('image data layouts made by qemu-io (skipped: qemu-img not installed)', () => {
  const tempDir = tempDirs('bgcheck-layouts-', 'all');
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    const made = await createImages(dir, specs);
    if (!made.ok) throw new Error(made.error.message);
  });

  it.each(specs.map((s) => [s.filename] as const))('%s has the length the impl gives it', (name) => {
    expect(MemoryImageStore.fromSpecs(specs).read(name)?.length).toBe(statSync(join(dir, name)).size);
  });
});

describe.skipIf(!isQemuImgAvailable())('a failed image write (skipped: qemu-img not installed)', () => {
  const tempDir = tempDirs('bgcheck-layouts-');
  it('names the image whose write qemu-io did not confirm, though it wrote the others in the same process', async () => {
    const made = await createImages(tempDir(), [
      { filename: 'ok.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: 0, length: 512, pattern: 1 }] },
      { filename: 'past-end.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: MiB, length: 512, pattern: 1 }, { offset: 0, length: 512, pattern: 1 }] },
    ]);
    expect(made).toMatchObject({ ok: false, error: { code: 'image-create-failed', filename: 'past-end.qcow2' } });
  });
});
