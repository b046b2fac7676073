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

/** A second target whose step takes a minute unless it is closed (a qemu-img reading a 1 GiB export). */
class Stuck implements Target {
  readonly name = 'qemu';
  closedAt: number | undefined;
  stepsAfterClose = 0;
  private release: (() => void) | undefined;
  start = (): Promise<{ ok: true }> => Promise.resolve({ ok: true });
  step = (): Promise<Observation> => {
    if (this.closedAt !== undefined) this.stepsAfterClose++;
    return new Promise((r) => {
      const done = (): void => r({ outcome: { kind: 'error', code: null, desc: 'closed' }, graph: null, view: null });
      const t = setTimeout(done, 60_000);
      this.release = () => (clearTimeout(t), done());
    });
  };
  close = (): Promise<void> => {
    this.closedAt ??= performance.now();
    this.release?.();
    return Promise.resolve();
  };
}

describe('fuzzRun', () => {
  it('closes the session of a run fast-check gave up on at once, and that run steps no more', async () => {
    const stuck = new Stuck();
    const t0 = performance.now();
    const r = await fuzzRun(4, { variant: PLAIN, check: () => stuck, maxSteps: 5, isKnown: () => true, shrinkLimitMs: 200, invariants: [] }, new RunStats());
    const returned = performance.now();
    expect(r.kind).toBe('clean');
    // closed before fuzzRun returned, well before the step's own minute
    expect(stuck.closedAt).toBeDefined();
    expect(stuck.closedAt!).toBeLessThanOrEqual(returned);
    expect(returned - t0).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stuck.stepsAfterClose).toBe(0);
  });


  it('treats a first run slower than the shrink time limit as a run, not as a failure of the fuzzer', async () => {
    const stats = new RunStats();
    // every step "agrees" (graph null), so only the clock could make this run fail
    const r = await fuzzRun(7, { variant: PLAIN, check: () => new Slow(), maxSteps: 3, isKnown: () => true, shrinkLimitMs: 1, invariants: [] }, stats);
    expect(r.kind === 'cannot-run' ? r.message : r.kind).not.toMatch(/fuzzer itself failed/);
    expect(stats.runs).toBe(1);
  });
});
