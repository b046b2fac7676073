import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_TIMING_FIELDS, TIMING_FIELDS } from '../../properties/fuzz/report.ts';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-fuzz-test-');

/** stdout without what depends on the clock: the `time:` line and the JSON timing fields. */
function untimed(out: string, dir: string): string {
  const lines = out.trimEnd().split('\n');
  const json = JSON.parse(lines.pop() ?? '{}') as Record<string, unknown>;
  for (const f of TIMING_FIELDS) delete json[f];
  const files = (json['findings'] as Record<string, unknown>[]).map((f) => {
    const kept = Object.fromEntries(Object.entries(f).filter(([k]) => !(FINDING_TIMING_FIELDS as readonly string[]).includes(k)));
    return { ...kept, file: String(f['file']).split('/').pop() };
  });
  return [...lines.filter((l) => !l.startsWith('time: ')), JSON.stringify({ ...json, findings: files })].join('\n').replaceAll(dir, 'OUT');
}

describe('bgcheck fuzz', () => {
  it('gives identical output for the same --seed and --runs, apart from timing', async () => {
    const a = tempDir();
    const b = tempDir();
    const one = await runCli(['fuzz', '--runs', '40', '--seed', '5', '--json', '--out', a]);
    const two = await runCli(['fuzz', '--runs', '40', '--seed', '5', '--json', '--out', b]);
    expect(one.code).toBe(two.code);
    expect(untimed(one.out, a)).toBe(untimed(two.out, b));
    expect(readdirSync(a)).toEqual(readdirSync(b));
    const last = JSON.parse(one.out.trimEnd().split('\n').pop() ?? '') as Record<string, unknown>;
    expect(Object.keys(last)).toEqual(['seed', 'runs', 'steps', 'seconds', 'stepsPerSecond', 'distinctStates', 'maxGraphNodes', 'commands', 'known', 'modelNotJudged', 'reach', 'findings']);
    expect(last['runs']).toBe(40);
  });

  it('exits 1 with a fixture per new finding, 0 when everything found is known', async () => {
    const out = tempDir();
    const first = await runCli(['fuzz', '--runs', '60', '--seed', '5', '--out', out]);
    const written = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(first.code).toBe(written.length > 0 ? 1 : 0);
    expect(first.out).toMatch(/^commands per kind:$/m);
    expect(first.out).toMatch(/^distinct graph states: \d+, largest graph: \d+ nodes$/m);
    // the same runs again: every finding now has a fixture, so nothing is new
    const again = await runCli(['fuzz', '--runs', '60', '--seed', '5', '--out', out]);
    expect([again.code, again.out.match(/^new findings: .*$/m)?.[0]]).toEqual([0, 'new findings: none']);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual(written);
  });

  it('--workers 2 runs the same runs as one worker: the same counts, states, known findings and reach; each finding stored once', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const args = ['fuzz', '--runs', '30', '--seed', '3', '--quirk', 'stale-child-options', '--shrink-time', '5', '--json'];
    const one = await runCli([...args, '--workers', '1', '--out', a]);
    const two = await runCli([...args, '--workers', '2', '--out', b]);
    const counts = (out: string): unknown => {
      const j = JSON.parse(out.trimEnd().split('\n').pop() ?? '') as Record<string, unknown>;
      const findings = (j['findings'] as { signature: string }[]).map((f) => f.signature).sort();
      return { ...j, seconds: 0, stepsPerSecond: 0, findings };
    };
    expect([two.code, counts(two.out)]).toEqual([one.code, counts(one.out)]);
    const sigs = (await loadFixtureDir(b)).flatMap((l) => (l.ok ? [l.fixture.finding.signature] : []));
    expect(sigs.length).toBeGreaterThan(0);
    expect(new Set(sigs).size).toBe(sigs.length);
  }, 240_000);

  it('refuses bad usage with exit 2', async () => {
    expect((await runCli(['fuzz', '--workers', '0', '--runs', '1'])).code).toBe(2);
    expect((await runCli(['fuzz', '--runs', '0'])).code).toBe(2);
    expect((await runCli(['fuzz', '--seed', 'x', '--runs', '1'])).code).toBe(2);
    expect((await runCli(['fuzz', '--check', 'banana', '--runs', '1'])).code).toBe(2);
    const quirk = await runCli(['fuzz', '--quirk', 'nope', '--runs', '1']);
    expect(quirk.code).toBe(2);
    expect(quirk.err).toMatch(/no quirk or fix 'nope'/);
  });

  it('passes quirks through to the impl and into the fixtures it writes', async () => {
    const out = tempDir();
    const r = await runCli(['fuzz', '--runs', '30', '--seed', '3', '--quirk', 'stale-child-options', '--json', '--out', out]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '') as { findings: { invariant: string }[] };
    expect(summary.findings.map((f) => f.invariant)).toContain('options-match-graph');
    // the quirk's findings; a fresh --out knows no stored 7.2 defect fixture, so the run may store one of those too
    const replay = await runCli(['replay', ...readdirSync(out).filter((f) => f.endsWith('.json') && f.includes('options-match-graph')).map((f) => join(out, f))]);
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/--quirk stale-child-options: reproduces \(expected: reproduces\); no quirks or fixes: passes \(expected: passes\)/);
  });
});
