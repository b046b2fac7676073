// Issue 14 items 3 and 4: no finding is lost. A signal while shrinking leaves a valid fixture and a summary, SIGKILL
// at worst the unshrunk fixture, and two campaigns on one store never store one signature twice.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { runCliProcess, spawnCli, waitFor } from './cli-process.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-signals-test-');

const fixtures = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json'));
const statusOf = (path: string): unknown => (JSON.parse(readFileSync(path, 'utf8')) as { status: unknown }).status;

// seed 1 with this quirk finds something in its first runs, and shrinking then takes long enough to interrupt
// --store: the out dir itself, so the project's stored findings are not known and the first one shows at once
const CAMPAIGN = ['fuzz', '--seed', '1', '--time', '120', '--quirk', 'mirror-allows-loops', '--workers', '1'];

describe('a campaign stopped while it shrinks (issue 14 item 4)', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: a valid fixture, the summary, exit %i', async (signal, code) => {
    const out = tempDir();
    const p = spawnCli([...CAMPAIGN, '--out', out, '--store', out]);
    // the fixture is written the moment the finding shows, before any shrinking
    expect(await waitFor(() => fixtures(out).length > 0, 90_000)).toBe(true);
    p.child.kill(signal);
    expect(await p.exited).toBe(code);
    expect(p.out()).toMatch(/^new findings: 1$/m);
    expect(p.out()).toMatch(new RegExp(`^stopped early by ${signal}: findings so far are stored$`, 'm'));
    const loaded = await loadFixtureDir(out);
    expect(loaded.map((l) => l.ok)).toEqual([true]);
    // and it still shows what it showed
    const replay = await runCliProcess(['replay', '--quirk', 'mirror-allows-loops', ...fixtures(out).map((f) => join(out, f))]);
    expect(replay.out).toMatch(/: as expected: --quirk mirror-allows-loops: reproduces/);
  }, 180_000);

  it('SIGKILL: the finding stays, as its unshrunk fixture', async () => {
    const out = tempDir();
    const p = spawnCli([...CAMPAIGN, '--out', out, '--store', out]);
    expect(await waitFor(() => fixtures(out).length > 0, 90_000)).toBe(true);
    const first = fixtures(out)[0] ?? '';
    p.child.kill('SIGKILL');
    await p.exited;
    expect(['unshrunk', 'quirk']).toContain(statusOf(join(out, first)));
    expect((await loadFixtureDir(out)).every((l) => l.ok)).toBe(true);
    // no half-written file is left behind to be read as a fixture
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);
});

describe('two campaigns on one store (issue 14 item 7)', () => {
  it('store each signature once between them', async () => {
    const out = tempDir();
    const args = ['fuzz', '--seed', '3', '--runs', '30', '--quirk', 'stale-child-options', '--shrink-time', '2', '--out', out];
    const [a, b] = [spawnCli(args), spawnCli(args)];
    await Promise.all([a.exited, b.exited]);
    const sigs = (await loadFixtureDir(out)).flatMap((l) => (l.ok ? [l.fixture.finding.signature] : []));
    expect(sigs.length).toBeGreaterThan(0);
    expect(new Set(sigs).size).toBe(sigs.length);
  }, 240_000);
});
