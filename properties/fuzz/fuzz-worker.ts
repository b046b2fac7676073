// One worker process of `fuzz --workers N`: a campaign over its share of the runs, reporting
// progress to the parent over IPC. It stops at its next step, storing what it has, on the parent's word, on a stop
// signal of its own (a terminal's Ctrl-C reaches the whole process group), or when the parent is gone.
import { ModelTarget } from '../run/model-target.ts';
import { runCampaign } from './campaign.ts';
import type { FromWorker, ToWorker, WorkerCampaignData } from './worker-messages.ts';

if (process.send === undefined) throw new Error('fuzz-worker: not a child process with an IPC channel');
let stop = false;
const stopNow = (): void => {
  stop = true;
};
// the parent says when to stop; a second signal is the parent's to act on, not a reason to die mid-write
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, stopNow);
process.on('disconnect', stopNow);
const post = (m: FromWorker): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected || process.send === undefined) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });

async function fuzz(d: WorkerCampaignData): Promise<void> {
  // progress every few hundred milliseconds: the parent redraws one line from the latest of each worker
  let last = -Infinity;
  try {
    const report = await runCampaign({
      // the impl beside the model, or alone: QEMU's --jobs run in one process, never here
      ...(d.check === 'model' ? { check: () => new ModelTarget(), against: 'model' as const } : { check: undefined }),
      seed: d.seed,
      runs: d.runs,
      timeMs: d.timeMs,
      variant: d.variant,
      outDir: d.outDir,
      maxSteps: d.maxSteps,
      shrinkBudgetMs: d.shrinkBudgetMs,
      known: new Set(d.known),
      tool: d.tool,
      share: d.share,
      onRun: (s, findings, ms) => {
        if (ms - last < 250) return;
        last = ms;
        void post({ kind: 'progress', counts: { runs: s.runs, steps: s.steps, distinctStates: s.distinctStates, knownTotal: s.knownTotal }, findings });
      },
      onShrink: (signature, p) => void post({ kind: 'shrink', signature, attempts: p.attempts, commands: p.commands }),
      shouldStop: () => stop,
    });
    const cpu = process.cpuUsage();
    await post({ kind: 'done', stats: report.stats.data(), elapsedMs: report.elapsedMs, findings: report.findings, errors: report.errors, cpuMs: (cpu.user + cpu.system) / 1000 });
  } catch (e) {
    await post({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

process.once('message', (m: ToWorker) => {
  if (m.kind !== 'start') return;
  process.on('message', (n: ToWorker) => n.kind === 'stop' && stopNow());
  // the channel is what kept us alive: let go of it once the summary is sent
  void fuzz(m.data).finally(() => process.connected && process.disconnect());
});
