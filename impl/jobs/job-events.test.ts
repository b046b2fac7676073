// Job events as QEMU 7.2 emits them (impl/conformance/OBSERVED-JOBS.md, facts 1-3).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import { MemoryImageStore } from '../images/memory.ts';

const MiB = 1048576;

function setup(): BlockLayer {
  const l = new BlockLayer(
    MemoryImageStore.fromSpecs([
      { filename: 'base.qcow2', format: 'qcow2', size: MiB },
      { filename: 'top.qcow2', format: 'qcow2', size: MiB, backing: 'base.qcow2' },
      { filename: 'tgt.qcow2', format: 'qcow2', size: MiB },
    ]),
  );
  const q = (driver: string, name: string, file: string, extra: JsonObject = {}): void => {
    l.execute('blockdev-add', { driver, 'node-name': name, file: { driver: 'file', filename: file }, ...extra });
  };
  q('qcow2', 'base', 'base.qcow2', { backing: null, 'read-only': true });
  q('qcow2', 'top', 'top.qcow2', { backing: 'base' });
  q('qcow2', 'tgt', 'tgt.qcow2', { backing: null });
  return l;
}

/** The events one command emitted, as `NAME` or `NAME:status`. */
function events(l: BlockLayer, name: string, args: JsonObject): string[] {
  const out = l.execute(name, args);
  if (out.kind !== 'reply' || !out.result.ok) throw new Error(`${name} failed: ${JSON.stringify(out)}`);
  return out.events.map((e) => (e.event === 'JOB_STATUS_CHANGE' ? `${e.event}:${String(e.data['status'])}` : e.event));
}

describe('job events', () => {
  it('mirror: created, running and ready on start; complete runs to null with auto defaults', () => {
    const l = setup();
    expect(events(l, 'blockdev-mirror', { 'job-id': 'm', device: 'top', target: 'tgt', sync: 'full' })).toEqual([
      'JOB_STATUS_CHANGE:created', 'JOB_STATUS_CHANGE:running', 'JOB_STATUS_CHANGE:ready', 'BLOCK_JOB_READY',
    ]);
    expect(events(l, 'job-complete', { id: 'm' })).toEqual([
      'JOB_STATUS_CHANGE:waiting', 'JOB_STATUS_CHANGE:pending', 'BLOCK_JOB_COMPLETED', 'JOB_STATUS_CHANGE:concluded', 'JOB_STATUS_CHANGE:null',
    ]);
  });

  it('stream with manual finalize: BLOCK_JOB_PENDING only then; finalize completes', () => {
    const l = setup();
    expect(events(l, 'block-stream', { 'job-id': 's', device: 'top', 'auto-finalize': false })).toEqual([
      'JOB_STATUS_CHANGE:created', 'JOB_STATUS_CHANGE:running', 'JOB_STATUS_CHANGE:waiting', 'JOB_STATUS_CHANGE:pending', 'BLOCK_JOB_PENDING',
    ]);
    expect(events(l, 'job-finalize', { id: 's' })).toEqual(['BLOCK_JOB_COMPLETED', 'JOB_STATUS_CHANGE:concluded', 'JOB_STATUS_CHANGE:null']);
  });

  it('hard cancel of a ready mirror: aborting, then BLOCK_JOB_CANCELLED', () => {
    const l = setup();
    events(l, 'blockdev-mirror', { 'job-id': 'm', device: 'top', target: 'tgt', sync: 'full', 'auto-dismiss': false });
    expect(events(l, 'job-cancel', { id: 'm' })).toEqual(['JOB_STATUS_CHANGE:aborting', 'BLOCK_JOB_CANCELLED', 'JOB_STATUS_CHANGE:concluded']);
  });

  it('a failing mirror reports BLOCK_JOB_COMPLETED with the error as its last field', () => {
    const l = setup();
    l.execute('blockdev-add', { driver: 'null-co', 'node-name': 'small', size: 4096 });
    const out = l.execute('blockdev-mirror', { 'job-id': 'm', device: 'top', target: 'small', sync: 'full' });
    const done = out.kind === 'reply' ? out.events.find((e) => e.event === 'BLOCK_JOB_COMPLETED') : undefined;
    expect(done?.data).toEqual({ type: 'mirror', device: 'm', len: 0, offset: 0, speed: 0, error: 'Source and target image have different sizes' });
    expect(Object.keys(done?.data ?? {}).at(-1)).toBe('error');
  });
});
