// Signatures say what is wrong, old fixtures stay readable, and a finding of another shape is never taken for a stored one.
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { IMPL_EXCEPTION, KNOWN_72_DEFECT, QEMU_ABORT, QEMU_HANG } from '../run/finding.ts';
import { PLAIN } from '../run/target.ts';
import { fixtureSignature, projectKnown } from './project-known.ts';
import { COMPLETE_IN_THREE, coarseOf, isCoarse, isCommandSegfault, sameSignature, signaturePart } from './signature-form.ts';

const stored = (await loadFixtureDir(new URL('../../shrunk-cases/', import.meta.url).pathname)).flatMap((l) => (l.ok ? [l.fixture] : []));
const byNumber = (n: string) => stored.find((f) => f.name.startsWith(n));

describe('signatures', () => {
  it('tell a three-part fixture from a full signature; crashes and known defects were complete in three', () => {
    expect(COMPLETE_IN_THREE).toEqual([QEMU_ABORT, QEMU_HANG, KNOWN_72_DEFECT, IMPL_EXCEPTION]);
    expect(isCoarse('edge-perms-match-driver-rules/job-cancel/-')).toBe(true);
    expect(isCoarse('qemu-abort/-/error_setv')).toBe(false);
    expect(coarseOf('a/b/c/d:e')).toBe('a/b/c');
    expect(sameSignature('a/b/c', 'a/b/c/x')).toBe(true);
    expect(sameSignature('a/b/c/y', 'a/b/c/x')).toBe(false);
    expect(signaturePart('a/b c')).toBe('a|b-c');
  });

  it('learns an old fixture’s full signature by replaying it: the driver and child of the edge, and which perms differ', async () => {
    const f = byNumber('0019');
    if (!f) throw new Error('0019 is missing');
    expect(f.finding.signature).toBe('edge-perms-match-driver-rules/job-cancel/-');
    const s = await fixtureSignature(f);
    expect(s).toEqual({ kind: 'replayed', signature: 'edge-perms-match-driver-rules/job-cancel/-/blkverify.test(storage):shared-s' });
    // a perm bug of another shape at the same command is no longer counted as 0019
    expect(sameSignature(s.signature, 'edge-perms-match-driver-rules/job-cancel/-/quorum.children.N(storage):shared+ws')).toBe(false);
  });

  it('knows every stored fixture under its own configuration, and only segfaults of one cause share a full signature', async () => {
    const all = new Map<string, string[]>();
    for (const f of stored) {
      const k = await projectKnown([f], f.expect.reproduces);
      const s = await fixtureSignature(f);
      expect(k.coarse, f.name).toEqual([]);
      expect(k.signatures.has(s.signature), f.name).toBe(true);
      all.set(s.signature, [...(all.get(s.signature) ?? []), f.name]);
    }
    // one mechanism met at several commands is one finding: the impl names it (0020, blockdev-del; a block_resize too)
    const shared = [...all].filter(([, names]) => names.length > 1).map(([sig]) => sig);
    expect(shared.filter((sig) => !/^qemu-abort\/-\/segfault\(.+\)$/.test(sig))).toEqual([]);
    expect((await projectKnown(stored, PLAIN)).signatures.size).toBeGreaterThan(30);
  });

  it('knows a segfault stored by its command by the cause the impl now signs it with; a build still signs by command', async () => {
    const f = byNumber('0020');
    if (!f) throw new Error('0020 is missing');
    expect(f.finding.signature).toBe('qemu-abort/blockdev-del/segfault');
    const dangling = 'qemu-abort/-/segfault(qcow2-dangling-data-file)';
    expect(await fixtureSignature(f)).toEqual({ kind: 'replayed', signature: dangling });
    // seed 21 met it again at block_resize and job-dismiss: the same cause, so known as 0020
    expect((await projectKnown([f], PLAIN)).signatures.has(dangling)).toBe(true);
    expect([isCommandSegfault(f.finding.signature), isCommandSegfault(dangling), isCommandSegfault('qemu-abort/-/error_setv')]).toEqual([true, false, false]);
    expect(sameSignature(f.finding.signature, 'qemu-abort/-/segfault(driver-gone)')).toBe(true);
    expect(sameSignature(f.finding.signature, 'qemu-abort/-/error_setv')).toBe(false);
    expect(sameSignature(dangling, 'qemu-abort/-/segfault(driver-gone)')).toBe(false);
  });
});
