// Steps per second and memory of the impl under fuzzing, with where the time goes; compared with targets.json.
import { readFileSync } from 'node:fs';
import { fuzzRun } from '../properties/fuzz/fuzz-run.ts';
import { RunStats } from '../properties/fuzz/run-stats.ts';
import { runSeed } from '../properties/fuzz/seeds.ts';
import type { Phase } from '../properties/run/check-session.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import { PLAIN } from '../properties/run/target.ts';

export interface BenchTargets {
  readonly minStepsPerSecond: number;
  readonly maxRssMiB: number;
}

export interface BenchResult {
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  readonly maxRssMiB: number;
  readonly heapUsedMiB: number;
  /** Share of the measured time per phase, in percent. */
  readonly phases: Readonly<Record<Phase, number>>;
  readonly targets: BenchTargets;
  readonly misses: readonly string[];
}

export function loadTargets(): BenchTargets {
  const t = JSON.parse(readFileSync(new URL('./targets.json', import.meta.url), 'utf8')) as Partial<BenchTargets>;
  return { minStepsPerSecond: t.minStepsPerSecond ?? 0, maxRssMiB: t.maxRssMiB ?? Infinity };
}

const MiB = 1024 * 1024;

/** Fuzzes for `seconds`; every finding counts as known, so nothing is shrunk or written. */
export async function runBench(seconds: number, seed: number, targets: BenchTargets = loadTargets()): Promise<BenchResult> {
  const stats = new RunStats();
  const phases: Record<Phase, number> = { generate: 0, execute: 0, graph: 0, snapshot: 0, invariants: 0, check: 0 };
  const timer = (p: Phase, ms: number): void => void (phases[p] += ms);
  const start = performance.now();
  for (let run = 0; performance.now() - start < seconds * 1000; run++) {
    // the default fuzz configuration: invariants and the model at every step
    const check = (): ModelTarget => new ModelTarget();
    await fuzzRun(runSeed(seed, run), { variant: PLAIN, check, maxSteps: 40, isKnown: () => true, shrinkLimitMs: 1000, timer }, stats);
  }
  const elapsed = (performance.now() - start) / 1000;
  const measured = Object.values(phases).reduce((a, b) => a + b, 0) || 1;
  const stepsPerSecond = Math.round(stats.steps / elapsed);
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const misses = [
    ...(stepsPerSecond < targets.minStepsPerSecond ? [`${stepsPerSecond} steps/s is below the target ${targets.minStepsPerSecond}`] : []),
    ...(maxRssMiB > targets.maxRssMiB ? [`max RSS ${maxRssMiB} MiB is above the target ${targets.maxRssMiB}`] : []),
  ];
  const share = (p: Phase): number => Math.round((1000 * phases[p]) / measured) / 10;
  return {
    seed,
    runs: stats.runs,
    steps: stats.steps,
    seconds: Math.round(elapsed * 10) / 10,
    stepsPerSecond,
    maxRssMiB,
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / MiB),
    phases: {
      generate: share('generate'),
      execute: share('execute'),
      graph: share('graph'),
      snapshot: share('snapshot'),
      invariants: share('invariants'),
      check: share('check'),
    },
    targets,
    misses,
  };
}

export function benchLines(r: BenchResult): string[] {
  return [
    `bgcheck bench: seed ${r.seed}, ${r.runs} runs, ${r.steps} steps in ${r.seconds} s`,
    `steps/s: ${r.stepsPerSecond} (target >= ${r.targets.minStepsPerSecond})`,
    `memory: max RSS ${r.maxRssMiB} MiB (target <= ${r.targets.maxRssMiB}), heap in use ${r.heapUsedMiB} MiB`,
    `time per phase: ${Object.entries(r.phases).map(([p, v]) => `${p} ${v}%`).join(', ')}`,
    ...(r.misses.length === 0 ? ['all targets met'] : r.misses.map((m) => `MISSED: ${m}`)),
  ];
}
