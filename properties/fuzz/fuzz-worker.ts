// One worker thread of `fuzz --workers N`: a campaign over its share of the runs, reporting progress to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { ModelTarget } from '../run/model-target.ts';
import type { Target } from '../run/target.ts';
import { runCampaign } from './campaign.ts';
import type { FromWorker, ToWorker, WorkerCampaignData } from './worker-messages.ts';

const port = parentPort;
if (port === null) throw new Error('fuzz-worker: not in a worker thread');
const d = workerData as WorkerCampaignData;
let stop = false;
port.on('message', (m: ToWorker) => {
  if (m.kind === 'stop') stop = true;
});
const post = (m: FromWorker): void => port.postMessage(m);
// the impl alone or beside the model: QEMU targets run several daemons with --jobs instead of threads
const check = (): (() => Target) | undefined => (d.check === 'model' ? () => new ModelTarget() : undefined);
// progress every few hundred milliseconds: the main thread redraws one line from the latest of each worker
let last = -Infinity;
try {
  const report = await runCampaign({
    seed: d.seed,
    runs: d.runs,
    timeMs: d.timeMs,
    variant: d.variant,
    check: check(),
    ...(d.check === 'model' ? { against: 'model' as const } : {}),
    outDir: d.outDir,
    maxSteps: d.maxSteps,
    shrinkBudgetMs: d.shrinkBudgetMs,
    known: new Set(d.known),
    tool: d.tool,
    share: d.share,
    onRun: (s, findings, ms) => {
      if (ms - last < 250) return;
      last = ms;
      post({ kind: 'progress', counts: { runs: s.runs, steps: s.steps, distinctStates: s.distinctStates, knownTotal: s.knownTotal }, findings });
    },
    onShrink: (signature, p) => post({ kind: 'shrink', signature, attempts: p.attempts, commands: p.commands }),
    shouldStop: () => stop,
  });
  post({ kind: 'done', stats: report.stats.data(), elapsedMs: report.elapsedMs, findings: report.findings, errors: report.errors });
} catch (e) {
  post({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
port.close();
