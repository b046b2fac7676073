// QEMU 7.2 (and 10.0.2) hang for good when an NBD client asks the block status of a node that answers 0 bytes inside
// its length: a blkverify is as long as its `test` child, and its status is its shorter `raw` child's (fixtures 0059,
// 0060). The impl says so as a typed hang, and its monitor answers nothing more, as QEMU's starved main loop does not.
import { describe, expect, it } from 'vitest';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { QmpMonitor } from '../../qmp/monitor.ts';
import { BlockLayer } from '../block-layer.ts';
import { ImplEndpoint } from '../impl-endpoint.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { monitorBackend } from '../monitor-backend.ts';

const image: ImageSpec = { filename: 'c.qcow2', format: 'qcow2', size: 65536 };
const longTest = { driver: 'blkverify', 'node-name': 'v', test: { driver: 'null-co' }, raw: { driver: 'file', filename: 'c.qcow2' } };
const sameLength = { driver: 'blkverify', 'node-name': 'v', test: { driver: 'null-co', size: 65536 }, raw: { driver: 'null-co', size: 65536 } };

describe('a blkverify longer than its raw side, read over NBD', () => {
  it('hangs the block status and the checksum (qemu-img convert asks block status first), and nothing answers after', () => {
    for (const observation of ['observe-block-status', 'observe-checksum']) {
      const layer = new BlockLayer(MemoryImageStore.fromSpecs([image]));
      expect(layer.execute('blockdev-add', longTest).kind).toBe('reply');
      const o = layer.execute(observation, { 'node-name': 'v' });
      expect(o.kind === 'qemu-hang' ? o.where : o.kind).toMatch(/^nbd\/server\.c blockstatus_to_extents: block status of 'v' answers 0 bytes at offset \d+/);
      expect(layer.execute('query-version').kind).toBe('qemu-hang');
      expect(layer.graph().kind).toBe('qemu-hang');
    }
  });

  it('answers when raw is as long as the blkverify', () => {
    const layer = new BlockLayer(MemoryImageStore.fromSpecs([image]));
    expect(layer.execute('blockdev-add', sameLength).kind).toBe('reply');
    expect(layer.execute('observe-block-status', { 'node-name': 'v' }).kind).toBe('reply');
  });

  it('as a monitor: no reply, no exit, and later commands get nothing; in process the peer is lost as hung at once', () => {
    const lines: string[] = [];
    let exited = false;
    const layer = new BlockLayer(MemoryImageStore.fromSpecs([image]));
    const m = new QmpMonitor(monitorBackend(layer), { out: (l) => void lines.push(l), err: () => undefined, exit: () => void (exited = true), now: () => ({ seconds: 0, microseconds: 0 }) });
    m.feed('{"execute":"qmp_capabilities"}\n');
    m.feed(`${JSON.stringify({ execute: 'blockdev-add', arguments: longTest })}\n`);
    const before = lines.length;
    m.feed('{"execute":"observe-block-status","arguments":{"node-name":"v"}}\n{"execute":"query-version"}\n');
    expect([lines.length - before, exited, m.hung]).toEqual([0, false, true]);
    const ep = new ImplEndpoint(MemoryImageStore.fromSpecs([image]));
    ep.executeSync({ execute: 'blockdev-add', arguments: longTest });
    const r = ep.executeSync({ execute: 'observe-block-status', arguments: { 'node-name': 'v' } });
    expect('lost' in r ? r.lost.kind : r).toBe('qemu-hang');
    expect('lost' in ep.executeSync({ execute: 'query-version' })).toBe(true);
  });
});
