import { describe, expect, it } from 'vitest';
import { crashSite, parseCrash, siteKey } from './crash.ts';

describe('crashSite', () => {
  it('names an assertion by its function, whatever the build prints as path and line', () => {
    const on72 = "qemu-storage-daemon: ../../block.c:4390: bdrv_reopen_multiple: Assertion `bs_queue != NULL' failed.\n";
    const on10 = "qemu-storage-daemon: block.c:4586: bdrv_reopen_multiple: Assertion `bs_queue != NULL' failed.\n";
    expect(crashSite(on72)).toEqual({ kind: 'assertion', fn: 'bdrv_reopen_multiple', expr: 'bs_queue != NULL' });
    expect(crashSite(on10)).toEqual(crashSite(on72));
  });
  it('reads error_abort, blkverify, reported-then-died and silent deaths', () => {
    expect(siteKey(crashSite('Unexpected error in parse_option_size() at ../../util/qemu-option.c:88:\nqemu-storage-daemon: x\n'))).toBe('parse_option_size');
    expect(siteKey(crashSite('blkverify: read offset=0 bytes=512 contents mismatch at offset 0\n'))).toBe('blkverify-mismatch');
    expect(siteKey(crashSite('qemu-storage-daemon: Could not reopen file: Permission denied\n'))).toBe('reported-then-died');
    expect(siteKey(crashSite('qcow2: Marking image as corrupt: Cluster allocation offset 0x0; further corruption events will be suppressed\n'))).toBe('segfault');
    expect(siteKey(crashSite(''))).toBe('segfault');
  });
  it("reads a segfault after an error a monitor command reported (no program name) as silent, since those are not its words", () => {
    const text = "Permission conflict on node 'n8': permissions 'consistent read' are both required by node 'n5'\n";
    expect(crashSite(text, 'SIGSEGV')).toEqual({ kind: 'silent' });
    expect(crashSite(text).kind).toBe('other');
    expect(crashSite("qemu-storage-daemon: Cannot change the option 'force-share'\n", 'SIGSEGV').kind).toBe('reported-then-died');
  });

  it('takes the real signal when the exit is known, else the one the site implies', () => {
    expect(parseCrash("a.c:1: f: Assertion `x' failed.\r\n").signal).toBe('SIGABRT');
    expect(parseCrash('', 'SIGBUS').signal).toBe('SIGBUS');
    expect(parseCrash('').stderr).toBe('');
  });
});
