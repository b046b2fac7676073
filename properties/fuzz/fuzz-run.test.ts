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

describe('fuzzRun', () => {
  it('treats a first run slower than the shrink time limit as a run, not as a failure of the fuzzer', async () => {
    const stats = new RunStats();
    // every step "agrees" (graph null), so only the clock could make this run fail
    const r = await fuzzRun(7, { variant: PLAIN, check: () => new Slow(), maxSteps: 3, isKnown: () => true, shrinkLimitMs: 1, invariants: [] }, stats);
    expect(r.kind === 'cannot-run' ? r.message : r.kind).not.toMatch(/fuzzer itself failed/);
    expect(stats.runs).toBe(1);
  });
});
