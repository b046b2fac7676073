// Where the impl says it does not follow block status: a qcow2 image file read as raw after a write covered part of a
// fresh cluster (corpus served-37), seen directly, through a raw format, or below an overlay whose unallocated
// ranges read it (fuzz --check qemu seed 1 found the overlay case answered as if followed).
import { describe, expect, it } from 'vitest';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { ImplEndpoint } from '../impl-endpoint.ts';
import { MemoryImageStore } from '../images/memory.ts';

const MiB = 1048576;

function statusOf(images: readonly ImageSpec[], adds: readonly JsonObject[], node: string): JsonValue | undefined {
  const ep = new ImplEndpoint(MemoryImageStore.fromSpecs(images));
  for (const a of adds) expect(ep.executeSync({ execute: 'blockdev-add', arguments: a })).toEqual({ return: {} });
  const r = ep.executeSync({ execute: 'observe-block-status', arguments: { 'node-name': node } });
  return 'return' in r ? r.return : undefined;
}

const NOT_FOLLOWED = { 'not-modelled': "the host layout of 'a.qcow2' as raw" };
const partial: ImageSpec = { filename: 'a.qcow2', format: 'qcow2', size: MiB, writes: [{ offset: 0, length: 512, pattern: 0x11 }] };
const whole: ImageSpec = { ...partial, writes: [{ offset: 0, length: 65536, pattern: 0x11 }] };
const top: ImageSpec = { filename: 'top.qcow2', format: 'qcow2', size: MiB };
const file = { driver: 'file', 'node-name': 'f', filename: 'a.qcow2' };

describe('block status the impl does not follow', () => {
  it('a qcow2 file read as raw after a partial-cluster write, directly and through raw', () => {
    expect(statusOf([partial], [file], 'f')).toEqual(NOT_FOLLOWED);
    expect(statusOf([partial], [{ driver: 'raw', 'node-name': 'r', file }], 'r')).toEqual(NOT_FOLLOWED);
  });

  it('the same file as the backing of an overlay, whose unallocated ranges read it', () => {
    const overlay = { driver: 'qcow2', 'node-name': 'o', file: { driver: 'file', filename: 'top.qcow2' }, backing: 'f' };
    expect(statusOf([partial, top], [file, overlay], 'o')).toEqual(NOT_FOLLOWED);
    expect(Array.isArray(statusOf([whole, top], [file, overlay], 'o'))).toBe(true);
  });

  it('follows it after whole-cluster writes only (corpus served-13)', () => {
    expect(Array.isArray(statusOf([whole], [file], 'f'))).toBe(true);
  });
});
