// Replays every stored fixture against its expectation, three runs each, all of which must agree; where QEMU is
// installed, beside QEMU 7.2 step by step, and alone on each build against what it records for that version.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isQemuAvailable, QEMU_10_HINT, qemu10Dir } from '../../qemu/available.ts';
import { chooseBuild } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { markdownReport } from '../triage/report.ts';
import { triage } from '../triage/triage.ts';
import type { TriageRow } from '../triage/triage.ts';
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
      const detail = 'reason' in v ? v.reason : v.checks.map((c) => (isSkipped(c) ? `skipped ${describeCheck(c)}` : describeCheck(c))).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    });
  }
});

describe.skipIf(!isQemuAvailable())('shrunk-cases/ beside real QEMU 7.2 (skipped: install qemu-system-common and qemu-utils to run)', () => {
  for (const f of fixtures) {
    // QEMU shows a 7.2 defect's finding, agreeing with the impl up to it; a quirk's fixture passes there
    it(`${f.name}: QEMU behaves as the impl as 7.2 expects`, async () => {
      const v = await replayFixture(f, { target: 'qemu', runs: 1, qemu: await probe(undefined) });
      const detail = 'reason' in v ? v.reason : v.checks.map(describeCheck).join('; ');
      expect(v.kind, detail).toBe('as-expected');
    }, 60_000);
  }
});

/** Triage on the builds: every fixture's verdict is the one it records for that version. */
async function triageOn(paths: readonly (string | undefined)[]): Promise<TriageRow[]> {
  const builds: ProbedBuild[] = [];
  for (const p of paths) builds.push(await probe(p));
  const rows = await triage(fixtures, builds, { jobs: 2 });
  const wrong = rows.flatMap((r) => r.cells.filter((c) => !c.matches || c.recorded === undefined).map((c) => `${r.fixture.name} on ${c.version}: ${c.verdict.kind} (recorded: ${c.recorded?.verdict ?? 'nothing'}): ${c.verdict.detail}`));
  expect(wrong).toEqual([]);
  return rows;
}

/** The README's triage table, made by `bgcheck triage --markdown`: its rows (the header names the machine's builds). */
function readmeRows(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- triage:begin -->\n([\s\S]*?)<!-- triage:end -->/.exec(readme)?.[1] ?? '';
  return block.split('\n').filter((l) => l.startsWith('| 0'));
}

const q10 = qemu10Dir();

describe.skipIf(!isQemuAvailable() || q10 === undefined)(`shrunk-cases/ triaged on QEMU 7.2 and 10.0.2 (skipped: needs both; ${QEMU_10_HINT})`, () => {
  it('gives every fixture the verdict it records for each, and the README shows those verdicts', async () => {
    const rows = await triageOn([undefined, q10]);
    expect(readmeRows()).toEqual(markdownReport(rows).filter((l) => l.startsWith('| 0')));
  }, 600_000);
});

describe.skipIf(!isQemuAvailable() || q10 !== undefined)('shrunk-cases/ triaged on QEMU 7.2 (skipped: no QEMU, or 10.0.2 is there too and both are triaged together)', () => {
  it('gives every fixture the verdict it records for 7.2', async () => {
    await triageOn([undefined]);
  }, 600_000);
});
