// `fuzz --workers N`: N worker processes, worker w running runs w, w+N, w+2N, … of the same
// seed space, all storing into one --out (a signature's atomic claim keeps any finding from being written twice).
// Processes, not threads: V8's GC and compiler helper threads made one worker thread use ~1.4 cores, so a second
// thread in the same process bought x1.0-1.1; single-threaded processes scale with the cores.
import type { CampaignFinding, CampaignReport } from './campaign.ts';
import type { ProgressCounts } from './progress.ts';
import { RunStats } from './run-stats.ts';
import type { WorkerCampaignData } from './worker-messages.ts';
import { startWorker } from './worker-process.ts';
import type { Done, WorkerProcess } from './worker-process.ts';

export interface WorkerCampaignOptions extends Omit<WorkerCampaignData, 'share'> {
  readonly workers: number;
  readonly onProgress?: (counts: ProgressCounts, findings: number, elapsedMs: number) => void;
  readonly onShrink?: (signature: string, attempts: number, commands: number) => void;
  readonly shouldStop?: () => boolean;
  /** Node and V8 flags of each worker (default worker-process.ts WORKER_FLAGS). */
  readonly flags?: readonly string[];
  /** Confines worker w to CPU cores[w] (the bench's one core); default: wherever the OS puts it. */
  readonly cores?: readonly number[];
}

export interface WorkerCampaignReport extends CampaignReport {
  /** CPU the workers used, all together: with elapsedMs, how many cores they kept busy. */
  readonly cpuMs: number;
  /** Each worker's own campaign time, without its start-up: a rate over its runs. */
  readonly workerMs: readonly number[];
}

export async function runWorkerCampaign(opts: WorkerCampaignOptions): Promise<WorkerCampaignReport> {
  const started = performance.now();
  const { workers, onProgress, onShrink, shouldStop, flags, cores, ...plain } = opts;
  const zero = { counts: { runs: 0, steps: 0, distinctStates: 0, knownTotal: 0 }, findings: 0 };
  const latest: { counts: ProgressCounts; findings: number }[] = Array.from({ length: workers }, () => zero);
  const sum = (k: keyof ProgressCounts): number => latest.reduce((a, l) => a + l.counts[k], 0);
  const procs: WorkerProcess[] = Array.from({ length: workers }, (_, index) => {
    const core = cores?.[index];
    return startWorker(`fuzz worker ${index}`, { ...plain, share: { index, count: workers } }, {
      ...(flags ? { flags } : {}),
      ...(core !== undefined ? { core } : {}),
      onMessage: (m) => {
        if (m.kind === 'shrink') return onShrink?.(m.signature, m.attempts, m.commands);
        latest[index] = { counts: m.counts, findings: m.findings };
        // per worker: states two workers both reached count twice here, once in the summary
        const counts = { runs: sum('runs'), steps: sum('steps'), distinctStates: sum('distinctStates'), knownTotal: sum('knownTotal') };
        onProgress?.(counts, latest.reduce((a, l) => a + l.findings, 0), performance.now() - started);
      },
    });
  });
  // a signal: every worker stops at its next step and stores what it has
  const stopAll = (): void => procs.forEach((p) => p.stop());
  const poll = setInterval(() => shouldStop?.() === true && stopAll(), 50);
  // a worker that died ends the campaign: the others stop and store what they have, and the death is an error
  const ends = await Promise.all(procs.map((p) => p.ended.then((e) => (e.kind === 'died' && stopAll(), e))));
  clearInterval(poll);
  const results: Done[] = ends.flatMap((e) => (e.kind === 'done' ? [e.done] : []));
  const stats = new RunStats();
  for (const r of results) stats.absorb(r.stats);
  // in run order, as one campaign lists them
  const findings: CampaignFinding[] = results.flatMap((r) => r.findings).sort((a, b) => a.run - b.run);
  const errors = [...ends.flatMap((e) => (e.kind === 'died' ? [e.message] : [])), ...results.flatMap((r) => r.errors)];
  const cpuMs = results.reduce((a, r) => a + r.cpuMs, 0);
  return { stats, elapsedMs: performance.now() - started, findings, errors, cpuMs, workerMs: results.map((r) => r.elapsedMs) };
}
