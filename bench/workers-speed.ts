// Steps/s of the default configuration (impl, invariants, model) on one core and with N worker processes, each for
// the same time, and of `fuzz --workers 1` as it runs in-process: what the other cores buy on this machine.
// One core is one worker process confined to CPU 0 with taskset, the better of two: single-threaded as the workers run
// (WORKER_FLAGS), and with V8's defaults (its helper threads then share that core), so the yardstick is not weakened.
import { spawnSync } from 'node:child_process';
import { runCampaign } from '../properties/fuzz/campaign.ts';
import { runWorkerCampaign } from '../properties/fuzz/worker-campaign.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import { PLAIN } from '../properties/run/target.ts';
import { median } from './median.ts';
import { withTempOut } from './temp-out.ts';

export interface Speed {
  readonly stepsPerSecond: number;
  /** CPU used over wall time: how many cores the measurement kept busy. */
  readonly cores: number;
}

export interface WorkersSpeed {
  readonly workers: number;
  /** `fuzz --workers 1`: one campaign in this process, V8's helper threads free to use another core. */
  readonly inProcess: Speed;
  /** One worker process on CPU 0 (taskset), or unpinned where taskset is missing (`pinned` false): the better of
   * `singleThreaded` and `v8Defaults`. */
  readonly oneCore: Speed;
  readonly singleThreaded: Speed;
  readonly v8Defaults: Speed;
  readonly pinned: boolean;
  /** `fuzz --workers N`: N worker processes where the OS puts them. */
  readonly allWorkers: Speed;
  /** Alternating (one core, all workers) pairs: a load that drifts meets both sides; the fields above are medians. */
  readonly pairs: readonly (readonly [number, number])[];
  /** Median over the pairs of allWorkers / oneCore. */
  readonly scaling: number;
}

const round2 = (x: number): number => Math.round(100 * x) / 100;

interface Setup {
  readonly seconds: number;
  readonly seed: number;
  readonly known: readonly string[];
}

const common = (s: Setup, outDir: string) => ({ seed: s.seed, runs: undefined, timeMs: s.seconds * 1000, variant: PLAIN, outDir, maxSteps: 40, shrinkBudgetMs: 1000, tool: 'bench' });

async function inProcess(s: Setup): Promise<Speed> {
  return withTempOut(async (out) => {
    const cpu0 = process.cpuUsage();
    const r = await runCampaign({ ...common(s, out), check: () => new ModelTarget(), against: 'model', known: new Set(s.known) });
    const cpu = process.cpuUsage(cpu0);
    return { stepsPerSecond: Math.round(r.stats.steps / (r.elapsedMs / 1000)), cores: round2((cpu.user + cpu.system) / 1000 / r.elapsedMs) };
  });
}

async function processes(s: Setup, workers: number, o: { readonly cores?: readonly number[]; readonly flags?: readonly string[] } = {}): Promise<Speed> {
  return withTempOut(async (out) => {
    const r = await runWorkerCampaign({ ...common(s, out), check: 'model', known: s.known, workers, ...o });
    if (r.errors.length > 0) throw new Error(`workers-speed: ${r.errors.join('; ')}`);
    // each worker's campaign time, without its start-up: the longest one is the campaign's
    const ms = Math.max(1, ...r.workerMs);
    return { stepsPerSecond: Math.round(r.stats.steps / (ms / 1000)), cores: round2(r.cpuMs / ms) };
  });
}

const PAIRS = 3;

const medianSpeed = (xs: readonly Speed[]): Speed => ({ stepsPerSecond: median(xs.map((x) => x.stepsPerSecond)), cores: median(xs.map((x) => x.cores)) });

export async function workersSpeed(workers: number, seconds: number, seed: number, known: readonly string[]): Promise<WorkersSpeed> {
  const s = { seconds, seed, known };
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const one = await inProcess(s);
  const cores = pinned ? { cores: [0] } : {};
  const v8Defaults = await processes(s, 1, { ...cores, flags: [] });
  const singles: Speed[] = [];
  const alls: Speed[] = [];
  for (let i = 0; i < PAIRS; i++) {
    singles.push(await processes(s, 1, cores));
    alls.push(workers > 1 ? await processes(s, workers) : (singles[i] ?? v8Defaults));
  }
  // each pair's yardstick is the better of its single-threaded run and the V8-defaults one
  const pairs = singles.map((x, i) => [Math.max(x.stepsPerSecond, v8Defaults.stepsPerSecond), alls[i]?.stepsPerSecond ?? 0] as const);
  const singleThreaded = medianSpeed(singles);
  const oneCore = singleThreaded.stepsPerSecond >= v8Defaults.stepsPerSecond ? singleThreaded : v8Defaults;
  const scaling = round2(median(pairs.map(([o, a]) => a / Math.max(1, o))));
  return { workers, inProcess: one, oneCore, singleThreaded, v8Defaults, pinned, allWorkers: medianSpeed(alls), pairs, scaling };
}

export function workersLines(w: WorkersSpeed): string[] {
  const core = w.pinned ? 'one core (1 worker process, taskset -c 0)' : 'one worker process (no taskset to pin it)';
  return [
    `workers: ${core} ${w.oneCore.stepsPerSecond} steps/s (${w.oneCore.cores} cores busy); ${w.workers} worker processes ${w.allWorkers.stepsPerSecond} steps/s (${w.allWorkers.cores} cores busy): x${w.scaling}`,
    `  pairs (one core, ${w.workers} workers): ${w.pairs.map(([o, a]) => `${o} vs ${a}`).join(', ')} (median ratio)`,
    `  one core: single-threaded ${w.singleThreaded.stepsPerSecond} steps/s, V8's defaults ${w.v8Defaults.stepsPerSecond} (the better one counts)`,
    `  fuzz --workers 1 (in-process) ${w.inProcess.stepsPerSecond} steps/s (${w.inProcess.cores} cores busy)`,
  ];
}
