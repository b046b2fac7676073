// Shrinks a concrete scenario to 1-minimal: no single command, argument or image can go and still reproduce.
import { wireJson } from '../../qmp/json/wire-text.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import { chunkRemovals, singleRemovals } from './candidates.ts';

export interface ShrinkProgress {
  readonly attempts: number;
  readonly commands: number;
  readonly size: number;
}

export interface ShrinkOptions {
  /** True when the candidate still shows the same finding (same signature). */
  readonly reproduces: (s: Scenario) => Promise<boolean>;
  readonly budgetMs: number;
  readonly onProgress?: (p: ShrinkProgress) => void;
  readonly now?: () => number;
  /** A stop (a signal) ends shrinking like the budget does, with the best scenario so far. */
  readonly shouldStop?: () => boolean;
}

export interface ShrinkResult {
  readonly scenario: Scenario;
  /** False when the budget ran out before a full pass found nothing to remove. */
  readonly minimal: boolean;
  readonly attempts: number;
}

/** A rough size for progress reports: the scenario's JSON length. */
export function scenarioSize(s: Scenario): number {
  return wireJson(s).length;
}

export async function shrinkScenario(start: Scenario, opts: ShrinkOptions): Promise<ShrinkResult> {
  const now = opts.now ?? (() => performance.now());
  const deadline = now() + opts.budgetMs;
  let cur = start;
  let attempts = 0;
  const report = (): void => opts.onProgress?.({ attempts, commands: cur.commands.length, size: scenarioSize(cur) });
  const tryOne = async (c: Scenario): Promise<boolean | 'out-of-time'> => {
    // yield first, so a signal that asks to stop is seen
    await new Promise((resolve) => setImmediate(resolve));
    if (now() > deadline || opts.shouldStop?.() === true) return 'out-of-time';
    attempts++;
    if (attempts % 25 === 0) report();
    return opts.reproduces(c);
  };
  // halves, quarters, …: big cuts first while they work
  for (let size = Math.floor(cur.commands.length / 2); size > 1; size = Math.floor(size / 2)) {
    for (const c of chunkRemovals(cur, size)) {
      const r = await tryOne(c);
      if (r === 'out-of-time') return { scenario: cur, minimal: false, attempts };
      if (r) cur = c;
    }
  }
  for (;;) {
    let progressed = false;
    for (const c of singleRemovals(cur)) {
      const r = await tryOne(c);
      if (r === 'out-of-time') return { scenario: cur, minimal: false, attempts };
      if (r) {
        cur = c;
        progressed = true;
        report();
        break;
      }
    }
    if (!progressed) return { scenario: cur, minimal: true, attempts };
  }
}
