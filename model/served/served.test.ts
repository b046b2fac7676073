// What the model states a node serves, from the chain: each case fails without its rule (a filter answers for its
// child's layer, a qcow2 for its clusters then its backing, raw for its window, a quorum where its children agree).
import { describe, expect, it } from 'vitest';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { observationCommand, observationOf } from '../../qmp/observation.ts';
import type { ObservationName } from '../../qmp/observation.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { ModelState } from '../state.ts';
import { add, cmd, qcow2, raw, run } from '../test-steps.test-support.ts';
import { servedAnswer } from './answer.ts';
import { afterRead } from './written.ts';

/** `start-end:depth/data/zero` (or `?` where either), or the reason it is not judged. */
function status(s: ModelState, node: string): string {
  const a = servedAnswer(s, observationOf(observationCommand('observe-block-status', node))!);
  if (a.kind !== 'status') return a.kind === 'not-judged' ? `not judged: ${a.why}` : 'checksum';
  const flag = (v: boolean | undefined, c: string): string => (v === undefined ? '?' : v ? c : '-');
  return a.status.map((x) => (x.v.why ? `${x.start}-${x.end}:${x.v.why}` : `${x.start}-${x.end}:${x.v.depth ?? '?'}${flag(x.v.data, 'd')}${flag(x.v.zero, 'z')}`)).join(' ');
}

/** `start-end:byte` runs, or the reason they are not judged. */
function bytes(s: ModelState, node: string, kind: ObservationName = 'observe-checksum'): string {
  const a = servedAnswer(s, observationOf(observationCommand(kind, node))!);
  return a.kind === 'checksum' ? a.bytes.map((x) => `${x.start}-${x.end}:${x.v}`).join(' ') : a.kind === 'not-judged' ? `not judged: ${a.why}` : 'status';
}

const K = 65536;
const CHAIN: ImageSpec[] = [
  qcow2('base.qcow2', { writes: [{ offset: 0, length: K, pattern: 0xaa }, { offset: 4 * K, length: 2 * K, pattern: 0x11 }] }),
  qcow2('top.qcow2', { backing: 'base.qcow2', writes: [{ offset: K, length: K, pattern: 0xbb }, { offset: 4 * K, length: K, zero: true }, { offset: 5 * K, length: 4096, pattern: 0x22 }] }),
];
const TOP = add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'top.qcow2' } });

describe('the model states what a node serves', () => {
  it('a blkdebug over a qcow2 over its backing: its own clusters at depth 1, the backing`s at 2, zeros unallocated', () => {
    const { state } = run(CHAIN, [TOP, add({ driver: 'blkdebug', 'node-name': 'dbg', image: 'top' })]);
    const want = '0-65536:2d- 65536-131072:1d- 131072-262144:0-z 262144-327680:1-z 327680-393216:1d- 393216-1048576:0-z';
    expect(status(state, 'dbg')).toBe(want);
    expect(status(state, 'top')).toBe(want);
    // the 4 KiB write copied the rest of its cluster up from the backing
    expect(bytes(state, 'dbg')).toBe('0-65536:170 65536-131072:187 131072-327680:0 327680-331776:34 331776-393216:17 393216-1048576:0');
  });

  it('raw over a qcow2 answers for the qcow2`s own layer (not its backing), but reads through the chain', () => {
    const { state } = run(CHAIN, [TOP, add({ driver: 'raw', 'node-name': 'r', file: 'top' })]);
    expect(status(state, 'r')).toBe('0-65536:0-- 65536-131072:1d- 131072-262144:0-- 262144-327680:1-z 327680-393216:1d- 393216-1048576:0--');
    expect(bytes(state, 'r')).toBe(bytes(state, 'top'));
  });

  it('a raw window serves its file`s bytes at its offset; a file`s written host blocks are data, its holes zero', () => {
    const images: ImageSpec[] = [{ ...raw('d.raw'), writes: [{ offset: K, length: 4096, pattern: 0x33 }, { offset: 200704, length: 512, pattern: 0x44 }] }];
    const { state } = run(images, [add({ driver: 'raw', 'node-name': 'win', offset: K, size: 8 * K, file: { driver: 'file', filename: 'd.raw' } })]);
    expect(status(state, 'win')).toBe('0-4096:1d- 4096-135168:1-z 135168-135680:1d- 135680-139264:1?? 139264-524288:1-z');
    expect(bytes(state, 'win')).toBe('0-4096:51 4096-135168:0 135168-135680:68 135680-524288:0');
  });

  it('a qcow2 past its shorter backing`s end reads zeros allocated below', () => {
    const images = [qcow2('sb.qcow2', { size: 8 * K, writes: [{ offset: 0, length: K, pattern: 0x31 }] }), qcow2('big.qcow2', { backing: 'sb.qcow2' })];
    const { state } = run(images, [add({ driver: 'qcow2', 'node-name': 'big', file: { driver: 'file', filename: 'big.qcow2' } })]);
    expect(status(state, 'big')).toBe('0-65536:2d- 65536-524288:0-z 524288-1048576:2-z');
    // raw answers for the qcow2's own layer: one unallocated run, not zero where it starts, not cut at the backing's end
    const over = run(images, [add({ driver: 'raw', 'node-name': 'r', file: { driver: 'qcow2', file: { driver: 'file', filename: 'big.qcow2' } } })]).state;
    expect(status(over, 'r')).toBe('0-1048576:0--');
  });

  it('grown by block_resize: a raw file`s last host block may be allocated whole, a qcow2`s unallocated run goes on', () => {
    const images: ImageSpec[] = [{ ...raw('g.raw', 1049088), writes: [{ offset: 918528, length: 130560, pattern: 0x2f }] }, qcow2('g.qcow2', { size: 1049088 })];
    const grow = (node: string): QmpCommand => cmd('block_resize', { 'node-name': node, size: 2 * 1048576 });
    const file = run(images, [add({ driver: 'file', 'node-name': 'f', filename: 'g.raw' }), grow('f')]).state;
    expect(status(file, 'f')).toContain('918528-1049088:1d- 1049088-1052672:1?? 1052672-2097152:1-z');
    const q = run(images, [add({ driver: 'qcow2', 'node-name': 'q', file: { driver: 'file', filename: 'g.qcow2' } }), grow('q')]).state;
    expect(status(q, 'q')).toBe('0-2097152:0-z');
  });

  it('a quorum serves data where any child has data and the bytes its children agree on', () => {
    const images: ImageSpec[] = ['q0', 'q1', 'q2'].map((f, i) => ({ ...raw(`${f}.raw`), writes: [{ offset: 0, length: K, pattern: 0x61 }, ...(i === 2 ? [{ offset: 8 * K, length: 4096, pattern: 0x62 }] : [])] }));
    const children = images.map((i) => ({ driver: 'raw', file: { driver: 'file', filename: i.filename } }));
    const { state } = run(images, [add({ driver: 'quorum', 'node-name': 'q', 'vote-threshold': 2, children })]);
    expect(status(state, 'q')).toBe('0-65536:1d- 65536-524288:1-z 524288-528384:1d- 528384-1048576:1-z');
    expect(bytes(state, 'q')).toBe('not judged: votes');
  });

  it('null-co serves zeros with read-zeroes; without, what the buffer held is not judged', () => {
    const { state } = run([], [add({ driver: 'null-co', 'node-name': 'z', size: K, 'read-zeroes': true }), add({ driver: 'null-co', 'node-name': 'n', size: K })]);
    expect([status(state, 'z'), bytes(state, 'z')]).toEqual(['0-65536:1-z', '0-65536:0']);
    expect(bytes(state, 'n')).toBe('not judged: uninitialised');
  });

  it('a qcow2 cluster copied from its backing at creation keeps those bytes when the backing file is cut later', () => {
    // fuzz --time 600 --seed 1: the copy-on-write happened when the images were made, before the block_resize
    const { state } = run([{ ...raw('b.raw', K), writes: [{ offset: 16384, length: 512, pattern: 8 }] }, { ...qcow2('t.qcow2', { size: K, backing: 'b.raw', writes: [{ offset: 57344, length: 8192, pattern: 98 }] }), backing_fmt: 'raw' }], [
      add({ driver: 'file', 'node-name': 'f', filename: 'b.raw' }),
      cmd('block_resize', { 'node-name': 'f', size: 16484 }),
      add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } }),
    ]);
    expect(bytes(state, 't')).toBe('0-16384:0 16384-16896:8 16896-57344:0 57344-65536:98');
  });

  it('a qcow2 whose file a reopen pointed at other bytes: its data clusters are not judged', () => {
    // fuzz --time 600 --seed 2: the raw under a qcow2 reopened onto a null-co; its metadata stays from its image
    const img = qcow2('q.qcow2', { size: 2 * K, writes: [{ offset: 0, length: 512, pattern: 1 }, { offset: K, length: K, zero: true }] });
    const { state } = run([img], [
      add({ driver: 'raw', 'node-name': 'r', file: { driver: 'file', filename: 'q.qcow2' } }),
      add({ driver: 'qcow2', 'node-name': 'q', file: 'r' }),
    ]);
    expect(bytes(state, 'q')).toBe('0-512:1 512-131072:0');
    const { state: moved } = run([img], [
      add({ driver: 'null-co', 'node-name': 'z', size: 4 * K }),
      add({ driver: 'raw', 'node-name': 'r', file: { driver: 'file', filename: 'q.qcow2' } }),
      add({ driver: 'qcow2', 'node-name': 'q', file: 'r' }),
      cmd('blockdev-reopen', { options: [{ driver: 'raw', 'node-name': 'r', file: 'z' }] }),
    ]);
    expect(bytes(moved, 'q')).toBe('not judged: image-data');
  });

  it('a job`s images are not judged from its start on; a checksum through copy-on-read copies up', () => {
    const stream: QmpCommand = cmd('block-stream', { 'job-id': 's', device: 'top' });
    expect(status(run(CHAIN, [TOP, stream]).state, 'top')).toBe('not judged: job-written');
    const { state } = run(CHAIN, [TOP, add({ driver: 'copy-on-read', 'node-name': 'cor', file: 'top' })]);
    expect(status(state, 'cor')).toContain('0-65536:2d-');
    const read = afterRead(state, observationOf(observationCommand('observe-checksum', 'cor'))!);
    expect([status(read, 'cor'), status(afterRead(state, observationOf(observationCommand('observe-block-status', 'cor'))!), 'cor')]).toEqual(['not judged: job-written', status(state, 'cor')]);
  });

  it('a job reading through a copy-on-read filter copies up into the image below it (0006)', () => {
    const cor = add({ driver: 'copy-on-read', 'node-name': 'cor', file: 'top' });
    const target = add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } });
    const mirror = cmd('blockdev-mirror', { 'job-id': 'm', device: 'cor', target: 't', sync: 'full' });
    expect(status(run([...CHAIN, qcow2('t.qcow2')], [TOP, cor, target, mirror]).state, 'cor')).toBe('not judged: job-written');
  });
});
