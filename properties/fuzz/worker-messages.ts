// What crosses between `fuzz --workers` and its worker processes: plain data only (IPC with structured clone).
import type { Variant } from '../run/target.ts';
import type { CampaignFinding } from './campaign.ts';
import type { ProgressCounts } from './progress.ts';
import type { RunStatsData } from './run-stats.ts';

export interface WorkerCampaignData {
  readonly seed: number;
  readonly runs: number | undefined;
  readonly timeMs: number | undefined;
  readonly variant: Variant;
  /** The second target beside the impl: the model, or none (QEMU runs its --jobs from one process). */
  readonly check: 'model' | 'none';
  readonly outDir: string;
  readonly maxSteps: number;
  readonly shrinkBudgetMs: number;
  readonly known: readonly string[];
  readonly tool: string;
  readonly share: { readonly index: number; readonly count: number };
}

export type ToWorker = { readonly kind: 'start'; readonly data: WorkerCampaignData } | { readonly kind: 'stop' };

export type FromWorker =
  | { readonly kind: 'progress'; readonly counts: ProgressCounts; readonly findings: number }
  | { readonly kind: 'shrink'; readonly signature: string; readonly attempts: number; readonly commands: number }
  | {
      readonly kind: 'done';
      readonly stats: RunStatsData;
      readonly elapsedMs: number;
      readonly findings: readonly CampaignFinding[];
      readonly errors: readonly string[];
      /** CPU the worker process used (user + system, every thread of it): what it cost, for the bench. */
      readonly cpuMs: number;
    }
  | { readonly kind: 'failed'; readonly message: string };
