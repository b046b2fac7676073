// Every death the impl decides reads back as the same site through qmp/crash.ts, the parser real QEMU's stderr goes
// through: signatures of impl crashes and of QEMU's are one vocabulary.
import { describe, expect, it } from 'vitest';
import { parseCrash } from '../../qmp/crash.ts';
import { DEATHS, blkverifyMismatch, errorAbortOn, negativeOffset, reportedThenDied } from './deaths.ts';
import type { Death } from './deaths.ts';

const made: readonly [string, Death][] = [
  ...Object.entries(DEATHS),
  ['errorAbortOn', errorAbortOn('bdrv_replace_node_common', "Permission conflict on node 'n'")],
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
