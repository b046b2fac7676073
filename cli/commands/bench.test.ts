import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';
import { loadTargets } from '../../bench/bench.ts';
import { isQemuAvailable } from '../../qemu/available.ts';

describe('bgcheck bench', () => {
  // speed targets are checked by `npm run bench`, never here: a slow CI machine must not fail the tests
  it('measures steps/s on one core and with every worker, memory and where the time goes, against bench/targets.json', async () => {
    const r = await runCli(['bench', '--time', '0.5', '--seeds', '0', '--qemu-sample', '0', '--jobs-sample', '0', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^steps\/s: \d+ \(target >= \d+\)$/m);
    expect(r.out).toMatch(/^time per phase: generate [\d.]+%, execute [\d.]+%, graph [\d.]+%, snapshot [\d.]+%, invariants [\d.]+%, check [\d.]+%$/m);
    expect(r.out).toMatch(/^workers: one core \(1 worker process, taskset -c 0\) \d+ steps\/s \([\d.]+ cores busy\); \d+ worker processes \d+ steps\/s \([\d.]+ cores busy\): x[\d.]+$/m);
    expect(r.out).toMatch(/^ {2}one core: single-threaded \d+ steps\/s, V8's defaults \d+ \(the better one counts\)$/m);
    expect(r.out).toMatch(/^ {2}fuzz --workers 1 \(in-process\) \d+ steps\/s \([\d.]+ cores busy\)$/m);
    expect(r.out).toMatch(/^QEMU 7\.2 on the same sequences: not measured \(no sample asked for\)$/m);
    expect(r.out).toMatch(/^--check qemu --jobs: not measured \(no sample asked for\)$/m);
    expect(r.out).toMatch(/^load average: [\d.]+ at the start, [\d.]+ at the end/m);
    const json = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '{}') as { single: { steps: number; targets: unknown; misses: string[] }; workers: { oneCore: { stepsPerSecond: number }; allWorkers: { stepsPerSecond: number } } };
    expect(json.single.steps).toBeGreaterThan(0);
    expect(json.workers.oneCore.stepsPerSecond).toBeGreaterThan(0);
    expect(json.workers.allWorkers.stepsPerSecond).toBeGreaterThan(0);
    expect(json.single.targets).toEqual(loadTargets());
    expect(r.code).toBe(json.single.misses.length === 0 ? 0 : 1);
  }, 120_000);

  it('gives the time to detect a quirk for bgcheck and the fast-check baseline', async () => {
    const r = await runCli(['bench', '--time', '0.5', '--seeds', '1', '--cap', '30', '--quirk', 'stale-child-options', '--qemu-sample', '0', '--jobs-sample', '0']);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^\| finding \| bgcheck found \| bgcheck median \| shrunk length \| baseline found \| baseline median \| shrunk length \|$/m);
    // both find this easy quirk well within the cap; a row says how many seeds found it and how long the shrunk case is
    expect(r.out).toMatch(/^\| stale-child-options \| 1\/1 \| [\d.]+ s \(\d+ runs\) \| \d+ \| 1\/1 \| [\d.]+ s \(\d+ runs\) \| \d+ \|$/m);
  }, 300_000);

  it('refuses bad arguments', async () => {
    expect((await runCli(['bench', '--time', '-1'])).code).toBe(2);
    expect((await runCli(['bench', '--cap', '0'])).code).toBe(2);
    expect((await runCli(['bench', '--quirk', 'no-such-quirk'])).code).toBe(2);
    expect((await runCli(['bench', '--qemu-jobs', '0'])).code).toBe(2);
    expect((await runCli(['bench', '--jobs-sample', 'x'])).code).toBe(2);
  });

  it.skipIf(!isQemuAvailable())('compares --check qemu with two daemons at once against one, on the same sequences', async () => {
    const r = await runCli(['bench', '--time', '0.5', '--seeds', '0', '--qemu-sample', '0', '--qemu-jobs', '2', '--jobs-sample', '3', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^--check qemu on QEMU 7\.2\.\d+.*, 3 sequences \(fuzz runs\): sequences\/s with --jobs 1 vs 2: [\d.]+ vs [\d.]+, [\d.]+ vs [\d.]+ \(median x[\d.]+\)$/m);
    const json = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '{}') as { jobs: { kind: string; pairs: number[][] } };
    expect(json.jobs.kind).toBe('measured');
    expect(json.jobs.pairs.flat().every((x) => x > 0)).toBe(true);
  }, 300_000);
});
