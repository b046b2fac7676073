import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQemuAvailable } from './available.ts';
import { createImages, creationLevels, qemuImgCreateArgs, qemuIoBatchArgs, unopenedBackings } from './images.ts';
import { ToolHost } from './tool-host.ts';
import { tempDirs } from '../qmp/temp-dirs.test-support.ts';

describe('qemuImgCreateArgs', () => {
  it('builds the same command line as qmprun.py', () => {
    expect(qemuImgCreateArgs({ filename: 'b.raw', format: 'raw', size: 512 })).toEqual(['create', '-q', '-f', 'raw', 'b.raw', '512']);
    expect(qemuImgCreateArgs({ filename: 't.qcow2', format: 'qcow2', size: 1048576, backing: 'b.qcow2', cluster_size: 4096 })).toEqual([
      'create', '-q', '-f', 'qcow2', '-b', 'b.qcow2', '-F', 'qcow2', '-o', 'cluster_size=4096', 't.qcow2', '1048576',
    ]);
    expect(qemuImgCreateArgs({ filename: 't', format: 'qcow2', size: 0, backing: 'b', backing_fmt: 'raw' })).toEqual([
      'create', '-q', '-f', 'qcow2', '-b', 'b', '-F', 'raw', 't', '0',
    ]);
  });
});

describe('qemuIoBatchArgs', () => {
  it('opens each image with data in order, writes it as qemu-io -f FMT FILE would, and closes it; none: null', () => {
    expect(qemuIoBatchArgs([
      { filename: 'b.raw', format: 'raw', size: 65536, writes: [{ offset: 0, length: 512, pattern: 0xaa }] },
      { filename: 'e.qcow2', format: 'qcow2', size: 65536 },
      { filename: 't.qcow2', format: 'qcow2', size: 65536, backing: 'b.raw', writes: [{ offset: 0, length: 65536, zero: true }, { offset: 512, length: 512, pattern: 1 }] },
    ])).toEqual([
      '-c', 'open -o driver=raw b.raw', '-c', 'write -P 0xaa 0 512', '-c', 'close',
      '-c', 'open -o driver=qcow2 t.qcow2', '-c', 'write -z 0 65536', '-c', 'write -P 0x1 512 512', '-c', 'close',
    ]);
    expect(qemuIoBatchArgs([{ filename: 'e.qcow2', format: 'qcow2', size: 65536 }])).toBeNull();
  });
});

describe('creationLevels', () => {
  it('makes an overlay with its backing file when qemu-img need not open it, else one round after it, in order', () => {
    const specs = [
      { filename: 'c0-0.qcow2', format: 'qcow2', size: 512 },
      { filename: 'c0-1.qcow2', format: 'qcow2', size: 512, backing: 'c0-0.qcow2' },
      { filename: 'c1-0.raw', format: 'raw', size: 512 },
      { filename: 'c1-1.qcow2', format: 'qcow2', size: 512, backing: 'c1-0.raw', backing_fmt: 'raw' },
      // named in another format than it has: qemu-img must open it (and refuse), after it exists
      { filename: 'c1-2.qcow2', format: 'qcow2', size: 512, backing: 'c1-0.raw' },
      { filename: 'c1-3.qcow2', format: 'qcow2', size: 512, backing: 'c1-2.qcow2' },
      { filename: 'x.qcow2', format: 'qcow2', size: 512, backing: 'elsewhere.qcow2' },
      // its backing comes later: made as qmprun.py would, before the backing exists
      { filename: 'y.qcow2', format: 'qcow2', size: 512, backing: 'z.qcow2' },
      { filename: 'z.qcow2', format: 'qcow2', size: 512 },
    ] as const;
    const names = creationLevels(specs).map((round) => round.map((s) => s.filename));
    expect(names).toEqual([['c0-0.qcow2', 'c0-1.qcow2', 'c1-0.raw', 'c1-1.qcow2', 'c1-3.qcow2', 'x.qcow2', 'y.qcow2', 'z.qcow2'], ['c1-2.qcow2']]);
    expect([...unopenedBackings(specs)].map((s) => s.filename)).toEqual(['c0-1.qcow2', 'c1-1.qcow2', 'c1-3.qcow2']);
  });
});

describe.skipIf(!isQemuAvailable())('createImages on QEMU', () => {
  const tempDir = tempDirs('bgcheck-img-');
  it('makes a chain in one round with the same bytes as qemu-img opening each backing in turn', async () => {
    const specs = [
      { filename: 'b.qcow2', format: 'qcow2', size: 2097152, cluster_size: 4096 },
      { filename: 'm.qcow2', format: 'qcow2', size: 1048576, backing: 'b.qcow2' },
      { filename: 't.qcow2', format: 'qcow2', size: 1048576, backing: 'm.qcow2', cluster_size: 65536 },
      { filename: 'r.raw', format: 'raw', size: 65536 },
      { filename: 'o.qcow2', format: 'qcow2', size: 65536, backing: 'r.raw', backing_fmt: 'raw' },
    ] as const;
    const [blind, opened] = [tempDir(), tempDir()];
    const host = new ToolHost();
    try {
      expect(await createImages(blind, specs, 'qemu-img', host)).toEqual({ ok: true });
      for (const s of specs) execFileSync('qemu-img', qemuImgCreateArgs(s), { cwd: opened });
      for (const s of specs) expect(readFileSync(join(blind, s.filename)).equals(readFileSync(join(opened, s.filename)))).toBe(true);
      expect(qemuImgCreateArgs(specs[1], true)).toContain('-u');
    } finally {
      await host.close();
    }
  });

  it('makes a kept image (image-cache.ts) with the same bytes and the same allocated blocks as qemu-img', async () => {
    const specs = [
      { filename: 'r.raw', format: 'raw', size: 1049088 },
      { filename: 'c.qcow2', format: 'qcow2', size: 2097152, cluster_size: 4096 },
      { filename: 'o.qcow2', format: 'qcow2', size: 1048576, backing: 'r.raw', backing_fmt: 'raw', writes: [{ offset: 512, length: 512, pattern: 7 }] },
    ] as const;
    const [first, second, own] = [tempDir(), tempDir(), tempDir()];
    const host = new ToolHost();
    // the raw file's first block is allocated zeroes, the rest a hole
    const layout = (dir: string, f: string): string => execFileSync('qemu-img', ['map', '--output=json', '-f', 'raw', f], { cwd: dir, encoding: 'utf8' });
    try {
      expect(await createImages(first, specs, 'qemu-img', host)).toEqual({ ok: true });
      expect(await createImages(second, specs, 'qemu-img', host)).toEqual({ ok: true });
      for (const s of specs) execFileSync('qemu-img', qemuImgCreateArgs(s), { cwd: own });
      execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 7 512 512', 'o.qcow2'], { cwd: own });
      for (const dir of [first, second]) {
        for (const s of specs) {
          expect(readFileSync(join(dir, s.filename)).equals(readFileSync(join(own, s.filename)))).toBe(true);
          expect(layout(dir, s.filename)).toBe(layout(own, s.filename));
        }
      }
      expect(JSON.parse(layout(second, 'r.raw'))).toMatchObject([{ start: 0, data: true }, { data: false }]);
    } finally {
      await host.close();
    }
  });
});
