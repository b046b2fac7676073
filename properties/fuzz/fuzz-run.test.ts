import { describe, expect, it } from 'vitest';
import type { Observation } from '../run/observation.ts';
import type { Target } from '../run/target.ts';
import { PLAIN } from '../run/target.ts';
import { fuzzRun } from './fuzz-run.ts';
import { RunStats } from './run-stats.ts';

/** A second target as slow as a QEMU daemon settling its jobs, agreeing with whatever the impl says. */
class Slow implements Target {
  readonly name = 'qemu';
  start = (): Promise<{ ok: true }> => Promise.resolve({ ok: true });
  step = (): Promise<Observation> => new Promise((r) => setTimeout(() => r({ outcome: { kind: 'ok' }, graph: null, view: null }), 30));
  close = (): Promise<void> => Promise.resolve();
}

/** A second target that hangs like a QEMU daemon: its step answers after `ms`, reporting no reply (or the run's stop). */
class Hangs implements Target {
  readonly name = 'qemu';
  steps = 0;
  constructor(private readonly ms: number) {}
  start = (): Promise<{ ok: true }> => Promise.resolve({ ok: true });
  step = (): Promise<Observation> => {
    this.steps++;
    return new Promise((r) => setTimeout(() => r({ outcome: { kind: 'hang', command: 'x', ms: this.ms, phase: 'command' }, graph: null, view: null }), this.ms));
  };
  close = (): Promise<void> => Promise.resolve();
}

describe('fuzzRun', () => {
  it('reports a hang found by a first run slower than the shrink time limit (it used to read as a clean run)', async () => {
    const r = await fuzzRun(4, { variant: PLAIN, target: () => new Hangs(300), check: undefined, maxSteps: 5, isKnown: () => false, shrinkLimitMs: 100, invariants: [] }, new RunStats());
    expect(r.kind === 'finding' ? r.finding.detector : r.kind).toBe('qemu-hang');
  });

  it('stops shrinking once the shrink time limit is spent, after the attempt under way', async () => {
    const hangs: Hangs[] = [];
    const t0 = performance.now();
    const r = await fuzzRun(4, { variant: PLAIN, target: () => (hangs.push(new Hangs(200)), hangs.at(-1)!), check: undefined, maxSteps: 5, isKnown: () => false, shrinkLimitMs: 300, invariants: [] }, new RunStats());
    expect(r.kind).toBe('finding');
    // the real run (one step: it hangs at once) and about two 200 ms attempts, not fast-check's whole shrink
    expect(hangs.length).toBeGreaterThan(1);
    expect(hangs.length).toBeLessThanOrEqual(4);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('treats a first run slower than the shrink time limit as a run, not as a failure of the fuzzer', async () => {
    const stats = new RunStats();
    // every step "agrees" (graph null), so only the clock could make this run fail
    const r = await fuzzRun(7, { variant: PLAIN, check: () => new Slow(), maxSteps: 3, isKnown: () => true, shrinkLimitMs: 1, invariants: [] }, stats);
    expect(r.kind === 'cannot-run' ? r.message : r.kind).not.toMatch(/fuzzer itself failed/);
    expect(stats.runs).toBe(1);
  });
});
