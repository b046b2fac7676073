// What crosses between `fuzz --workers` and its worker processes: plain data only (IPC with structured clone).
import type { ProbedBuild } from '../../qemu/identity.ts';
import type { Variant } from '../run/target.ts';
import type { CampaignFinding } from './campaign.ts';
import type { ProgressCounts } from './progress.ts';
import type { RunStatsData } from './run-stats.ts';

/** Where QEMU runs in a worker: as the system under test (judged by the invariants) or as `--check qemu`. */
export interface WorkerQemu {
  readonly role: 'target' | 'check';
  readonly build: ProbedBuild;
  readonly hangMs: number;
}

export interface WorkerCampaignData {
  readonly seed: number;
  readonly runs: number | undefined;
  readonly timeMs: number | undefined;
  readonly variant: Variant;
  /** The second target beside the impl: the model, QEMU (see `qemu`), or none. */
  readonly check: 'model' | 'qemu' | 'none';
  /** Set where a worker runs QEMU: each worker then has its own tool host and one daemon at a time. */
  readonly qemu?: WorkerQemu;
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
