// Replays every stored fixture against its expectation, three runs each, all of which must agree; where QEMU is
// installed, beside QEMU 7.2 step by step, and alone on each build against what it records for that version.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isQemuAvailable, QEMU_10_HINT, qemu10Dir } from '../../qemu/available.ts';
import { chooseBuild } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { triage } from '../triage/triage.ts';
import { describeCheck, isSkipped, replayFixture } from './replay-fixture.ts';

const DIR = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));
const loaded = await loadFixtureDir(DIR);
const fixtures = loaded.flatMap((l) => (l.ok ? [l.fixture] : []));

async function probe(path: string | undefined): Promise<ProbedBuild> {
  const r = await chooseBuild(path, { ...process.env, BGCHECK_QEMU: '' });
  if (!r.ok) throw new Error(r.message);
  return r.probed;
}

describe('shrunk-cases/ (replayed on the impl)', () => {
  it('holds only valid fixtures', () => {
    expect(loaded.flatMap((l) => (l.ok ? [] : [l.error.message]))).toEqual([]);
  });

  for (const f of fixtures) {
    it(`${f.name}: ${f.finding.signature}`, async () => {
      const v = await replayFixture(f, { target: 'impl', runs: 3 });
      // a configuration the impl cannot run yet (an unknown --fix) is skipped, not failed
      const detail = v.kind === 'not-available' ? v.reason : v.checks.map((c) => (isSkipped(c) ? `skipped ${describeCheck(c)}` : describeCheck(c))).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    });
  }
});

describe.skipIf(!isQemuAvailable())('shrunk-cases/ beside real QEMU 7.2 (skipped: install qemu-system-common and qemu-utils to run)', () => {
  for (const f of fixtures) {
    // QEMU shows a 7.2 defect's finding, agreeing with the impl up to it; a quirk's fixture passes there
    it(`${f.name}: QEMU behaves as the impl as 7.2 expects`, async () => {
      const v = await replayFixture(f, { target: 'qemu', runs: 1, qemu: await probe(undefined) });
      const detail = v.kind === 'not-available' ? v.reason : v.checks.map(describeCheck).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    }, 60_000);
  }
});

/** Triage on one build: every fixture's verdict is the one it records for that version. */
function triageOn(label: string, path: () => string | undefined): void {
  it(`every fixture triages on ${label} as it records`, async () => {
    const build = await probe(path());
    const rows = await triage(fixtures, [build], { jobs: 2 });
    const wrong = rows.flatMap((r) => r.cells.filter((c) => !c.matches || c.recorded === undefined).map((c) => `${r.fixture.name}: ${c.verdict.kind} (recorded: ${c.recorded?.verdict ?? 'nothing'}): ${c.verdict.detail}`));
    expect(wrong).toEqual([]);
  }, 600_000);
}

describe.skipIf(!isQemuAvailable())('shrunk-cases/ triaged on QEMU 7.2 (skipped: install qemu-system-common and qemu-utils to run)', () => {
  triageOn('QEMU 7.2', () => undefined);
});

describe.skipIf(qemu10Dir() === undefined)(`shrunk-cases/ triaged on QEMU 10.0.2 (skipped: ${QEMU_10_HINT})`, () => {
  triageOn('QEMU 10.0.2', qemu10Dir);
});
