import { describe, expect, it } from 'vitest';
import { creationLevels, qemuImgCreateArgs, qemuIoBatchArgs } from './images.ts';

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
  it('makes an overlay one round after its backing file, everything else in the first round, in order', () => {
    const names = creationLevels([
      { filename: 'c0-0.qcow2', format: 'qcow2', size: 512 },
      { filename: 'c0-1.qcow2', format: 'qcow2', size: 512, backing: 'c0-0.qcow2' },
      { filename: 'c1-0.raw', format: 'raw', size: 512 },
      { filename: 'c1-1.qcow2', format: 'qcow2', size: 512, backing: 'c1-0.raw', backing_fmt: 'raw' },
      { filename: 'c0-2.qcow2', format: 'qcow2', size: 512, backing: 'c0-1.qcow2' },
      { filename: 'x.qcow2', format: 'qcow2', size: 512, backing: 'elsewhere.qcow2' },
    ]).map((round) => round.map((s) => s.filename));
    expect(names).toEqual([['c0-0.qcow2', 'c1-0.raw', 'x.qcow2'], ['c0-1.qcow2', 'c1-1.qcow2'], ['c0-2.qcow2']]);
  });
});
