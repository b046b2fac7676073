import { describe, expect, it } from 'vitest';
import { qemuImgCreateArgs } from './images.ts';

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
