// Every death the impl decides reads back as the same site through qmp/crash.ts, the parser real QEMU's stderr goes
// through: signatures of impl crashes and of QEMU's are one vocabulary.
import { describe, expect, it } from 'vitest';
import { parseCrash } from '../../qmp/crash.ts';
import { BlockLayer } from '../block-layer.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { DEATHS, blkverifyMismatch, errorAbortOn, negativeOffset, reportedThenDied } from './deaths.ts';
import type { Death } from './deaths.ts';
import type { BlockError } from './result.ts';
import type { JsonObject } from '../../qmp/types.ts';

const CONFLICT: BlockError = {
  code: 'perm-conflict',
  message: "Permission conflict on node 'n'",
  errorClass: 'GenericError',
  raisedAt: { fn: 'bdrv_a_allow_b', at: 'block.c:2221' },
};

const made: readonly [string, Death][] = [
  ...Object.entries(DEATHS),
  ['errorAbortOn (command)', errorAbortOn(CONFLICT, false)],
  ['errorAbortOn (job exit)', errorAbortOn(CONFLICT, true)],
  ['negativeOffset (command)', negativeOffset(-512, false)],
  ['negativeOffset (job)', negativeOffset(-512, true)],
  ['blkverifyMismatch', blkverifyMismatch(0, 512, 4)],
  ['reportedThenDied', reportedThenDied("qemu-storage-daemon: Could not reopen file: Permission denied\n")],
];

describe('deaths', () => {
  it.each(made)('%s reads back as its site and signal', (_name, d) => {
    const c = parseCrash(d.text);
    expect(c.site).toEqual(d.site);
    expect(c.signal).toBe(d.signal);
  });

  it('keeps 7.2 assertion texts byte for byte (bgcheck qmp prints them)', () => {
    expect(DEATHS.reopenEmptyQueue.text).toBe("qemu-storage-daemon: ../../block.c:4390: bdrv_reopen_multiple: Assertion `bs_queue != NULL' failed.\n");
    expect(DEATHS.negativeNullCoSize.text).toBe(
      "Unexpected error in parse_option_size() at ../../util/qemu-option.c:145:\nParameter 'size' expects a non-negative number below 2^64\n",
    );
    expect(negativeOffset(-1, true).text).toBe('Unexpected error in bdrv_check_qiov_request() at ../../block/io.c:971:\nqemu-storage-daemon: offset is negative: -1\n');
  });
});

describe('the crash on an outcome', () => {
  it('is typed and decided now', () => {
    const l = new BlockLayer(new MemoryImageStore());
    const o = l.execute('blockdev-reopen', { options: [] });
    expect(o).toEqual({ kind: 'qemu-abort', crash: { site: DEATHS.reopenEmptyQueue.site, stderr: DEATHS.reopenEmptyQueue.text, signal: 'SIGABRT' }, when: 'now' });
  });

  it('after the reply: the reply says QEMU dies right after it, the next command finds it dead (shrunk-cases/0029)', () => {
    const l = new BlockLayer(
      MemoryImageStore.fromSpecs([
        { filename: 'c0-1.qcow2', format: 'qcow2', size: 1048576 },
        { filename: 'c2-0.qcow2', format: 'qcow2', size: 1048576 },
        { filename: 'r1.raw', format: 'raw', size: 1048576 },
      ]),
    );
    const ok = (name: string, args: JsonObject): void => expect(l.execute(name, args)).toMatchObject({ kind: 'reply', result: { ok: true } });
    ok('blockdev-add', { driver: 'blkdebug', 'node-name': 'n21', image: { driver: 'file', filename: 'r1.raw' } });
    ok('blockdev-add', { driver: 'blkverify', 'node-name': 'n1', test: 'n21', raw: { driver: 'file', filename: 'c2-0.qcow2' } });
    ok('blockdev-add', { driver: 'qcow2', 'node-name': 'n17', file: { driver: 'file', filename: 'c0-1.qcow2' } });
    const crash = { site: DEATHS.zeroWriteWithFlags.site, stderr: DEATHS.zeroWriteWithFlags.text, signal: 'SIGABRT' };
    // blkverify sets supported_zero_flags without a zero-write callback: the first pass's zero write asserts
    expect(l.execute('blockdev-mirror', { 'job-id': 'j0', device: 'n17', target: 'n1', sync: 'full' })).toMatchObject({ kind: 'reply', result: { ok: true }, crashAfterReply: crash });
    expect(l.execute('query-jobs')).toEqual({ kind: 'qemu-abort', crash, when: 'after-reply' });
  });

  it("a job's filter drop that conflicts dies in bdrv_a_allow_b, unnamed inside job-finalize (seed 21's 0008, as 7.2.22 prints it)", () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 'c.qcow2', format: 'qcow2', size: 65536 }]));
    const ok = (name: string, args: JsonObject): void => expect(l.execute(name, args)).toMatchObject({ kind: 'reply', result: { ok: true } });
    ok('blockdev-add', { driver: 'copy-on-read', 'node-name': 'n5', file: { driver: 'file', filename: 'c.qcow2' } });
    ok('block-stream', { 'job-id': 'j0', 'auto-finalize': false, device: 'n5', 'filter-node-name': 'n10' });
    ok('blockdev-add', { driver: 'copy-on-read', 'node-name': 'n19', file: 'n5' });
    ok('blockdev-add', { driver: 'blkdebug', 'node-name': 'n3', image: 'n10', 'unshare-child-perms': ['write-unchanged'] });
    const stderr =
      'Unexpected error in bdrv_a_allow_b() at ../../block.c:2221:\n' +
      "Permission conflict on node 'n5': permissions 'write unchanged' are both required by node 'n19' (uses node 'n5' as 'file' child) " +
      "and unshared by node 'n3' (uses node 'n5' as 'image' child).\n";
    const crash = { site: { kind: 'error-abort', fn: 'bdrv_a_allow_b' }, stderr, signal: 'SIGABRT' };
    expect(l.execute('job-finalize', { id: 'j0' })).toEqual({ kind: 'qemu-abort', crash, when: 'now' });
  });
});
