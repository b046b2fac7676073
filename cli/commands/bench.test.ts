import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';
import { loadTargets } from '../../bench/bench.ts';

describe('bgcheck bench', () => {
  // speed targets are checked by `npm run bench`, never here: a slow CI machine must not fail the tests
  it('measures steps/s, memory and where the time goes, against bench/targets.json', async () => {
    const r = await runCli(['bench', '--time', '0.5', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^steps\/s: \d+ \(target >= \d+\)$/m);
    expect(r.out).toMatch(/^time per phase: generate [\d.]+%, execute [\d.]+%, graph [\d.]+%, snapshot [\d.]+%, invariants [\d.]+%, check [\d.]+%$/m);
    const json = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '{}') as { steps: number; targets: unknown; misses: string[] };
    expect(json.steps).toBeGreaterThan(0);
    expect(json.targets).toEqual(loadTargets());
    expect(r.code).toBe(json.misses.length === 0 ? 0 : 1);
  });

  it('refuses bad arguments', async () => {
    expect((await runCli(['bench', '--time', '-1'])).code).toBe(2);
  });
});
