// `fuzz --workers N`: N worker threads (explore's worker-entry.mjs), worker w running runs w, w+N, w+2N, … of the same
// seed space, all storing into one --out (a signature's atomic claim keeps any finding from being written twice).
import { Worker } from 'node:worker_threads';
import type { CampaignFinding, CampaignReport } from './campaign.ts';
import type { ProgressCounts } from './progress.ts';
import { RunStats } from './run-stats.ts';
import type { FromWorker, ToWorker, WorkerCampaignData } from './worker-messages.ts';

const ENTRY = new URL('../explore/worker-entry.mjs', import.meta.url);
const FUZZ_WORKER = new URL('./fuzz-worker.ts', import.meta.url).href;

export interface WorkerCampaignOptions extends Omit<WorkerCampaignData, 'entry' | 'share'> {
  readonly workers: number;
  readonly onProgress?: (counts: ProgressCounts, findings: number, elapsedMs: number) => void;
  readonly onShrink?: (signature: string, attempts: number, commands: number) => void;
  readonly shouldStop?: () => boolean;
}

type Done = Extract<FromWorker, { kind: 'done' }>;

export async function runWorkerCampaign(opts: WorkerCampaignOptions): Promise<CampaignReport> {
  const started = performance.now();
  const { workers, onProgress, onShrink, shouldStop, ...plain } = opts;
  const latest: { counts: ProgressCounts; findings: number }[] = [];
  const sum = (): ProgressCounts => ({
    runs: latest.reduce((a, l) => a + l.counts.runs, 0),
    steps: latest.reduce((a, l) => a + l.counts.steps, 0),
    // per worker: states two workers both reached count twice here, once in the summary
    distinctStates: latest.reduce((a, l) => a + l.counts.distinctStates, 0),
    knownTotal: latest.reduce((a, l) => a + l.counts.knownTotal, 0),
  });
  const threads: Worker[] = [];
  // a signal: every worker stops at its next step and stores what it has
  const poll = setInterval(() => {
    if (shouldStop?.() === true) for (const w of threads) w.postMessage({ kind: 'stop' } satisfies ToWorker);
  }, 50);
  const one = (index: number): Promise<Done> =>
    new Promise((resolve, reject) => {
      const data: WorkerCampaignData = { ...plain, entry: FUZZ_WORKER, share: { index, count: workers } };
      const w = new Worker(ENTRY, { workerData: data });
      threads.push(w);
      latest[index] = { counts: { runs: 0, steps: 0, distinctStates: 0, knownTotal: 0 }, findings: 0 };
      let done: Done | undefined;
      w.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'progress':
            latest[index] = { counts: m.counts, findings: m.findings };
            onProgress?.(sum(), latest.reduce((a, l) => a + l.findings, 0), performance.now() - started);
            return;
          case 'shrink':
            onShrink?.(m.signature, m.attempts, m.commands);
            return;
          case 'done':
            done = m;
            return;
          case 'failed':
            reject(new Error(`fuzz worker ${index}: ${m.message}`));
            return;
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => (done ? resolve(done) : reject(new Error(`fuzz worker ${index} exited with code ${code} before its summary`))));
    });
  try {
    const results = await Promise.all(Array.from({ length: workers }, (_, i) => one(i)));
    const stats = new RunStats();
    for (const r of results) stats.absorb(r.stats);
    // in run order, as one campaign lists them
    const findings: CampaignFinding[] = results.flatMap((r) => r.findings).sort((a, b) => a.run - b.run);
    return { stats, elapsedMs: performance.now() - started, findings, errors: results.flatMap((r) => r.errors) };
  } finally {
    clearInterval(poll);
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
