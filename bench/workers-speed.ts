// Steps/s of `fuzz --workers N` against one worker, the same way (worker threads, the default configuration: impl,
// invariants, model), each for the same time: what the other cores buy on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkerCampaign } from '../properties/fuzz/worker-campaign.ts';
import { PLAIN } from '../properties/run/target.ts';

export interface WorkersSpeed {
  readonly workers: number;
  readonly oneWorker: number;
  readonly allWorkers: number;
  /** allWorkers / oneWorker. */
  readonly scaling: number;
}

async function stepsPerSecond(workers: number, seconds: number, seed: number, known: readonly string[]): Promise<number> {
  // a finding nobody knows is shrunk (briefly) and stored here, then thrown away
  const out = mkdtempSync(join(tmpdir(), 'bgcheck-bench-'));
  try {
    const r = await runWorkerCampaign({
      seed, runs: undefined, timeMs: seconds * 1000, variant: PLAIN, check: 'model', outDir: out, maxSteps: 40,
      shrinkBudgetMs: 1000, known, tool: 'bench', workers,
    });
    return Math.round(r.stats.steps / (r.elapsedMs / 1000));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function workersSpeed(workers: number, seconds: number, seed: number, known: readonly string[]): Promise<WorkersSpeed> {
  const oneWorker = await stepsPerSecond(1, seconds, seed, known);
  const allWorkers = workers > 1 ? await stepsPerSecond(workers, seconds, seed, known) : oneWorker;
  return { workers, oneWorker, allWorkers, scaling: Math.round((100 * allWorkers) / Math.max(1, oneWorker)) / 100 };
}
