// Replays every stored fixture against its expectation, three runs each, all of which must agree.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isQemuAvailable } from '../../qemu/available.ts';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { describeCheck, isSkipped, replayFixture } from './replay-fixture.ts';

const DIR = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));
const loaded = await loadFixtureDir(DIR);

describe('shrunk-cases/ (replayed on the impl)', () => {
  it('holds only valid fixtures', () => {
    expect(loaded.flatMap((l) => (l.ok ? [] : [l.error.message]))).toEqual([]);
  });

  for (const l of loaded) {
    if (!l.ok) continue;
    const f = l.fixture;
    it(`${f.name}: ${f.finding.signature}`, async () => {
      const v = await replayFixture(f, { target: 'impl', runs: 3 });
      // a configuration the impl cannot run yet (an unknown --fix) is skipped, not failed
      const detail = 'reason' in v ? v.reason : v.checks.map((c) => (isSkipped(c) ? `skipped ${describeCheck(c)}` : describeCheck(c))).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    });
  }
});

describe.skipIf(!isQemuAvailable())('shrunk-cases/ on real QEMU 7.2 (skipped: install qemu-system-common and qemu-utils to run)', () => {
  for (const l of loaded) {
    if (!l.ok) continue;
    const f = l.fixture;
    // QEMU shows a 7.2 defect's finding, agreeing with the impl up to it; a quirk's fixture passes there
    it(`${f.name}: QEMU behaves as the impl as 7.2 expects`, async () => {
      const v = await replayFixture(f, { target: 'qemu', runs: 1 });
      const detail = 'reason' in v ? v.reason : v.checks.map(describeCheck).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    }, 60_000);
  }
});
