// Where states get expanded: in this thread, or spread over worker threads. Either way a batch's results come back
// in the batch's order, and the search merges batches in frontier order, so results do not depend on the pool.
import { Expander } from './expander.ts';
import type { Expansion, ExploreJob, FrontierState } from './expander.ts';
import { WorkerPool } from './worker-pool.ts';

export interface ExpandPool {
  /** How many batches are worth having in flight at once. */
  readonly parallel: number;
  expand(states: readonly FrontierState[]): Promise<Expansion[]>;
  fingerprint(state: FrontierState): Promise<string | { readonly error: string }>;
  close(): Promise<void>;
}

class InlinePool implements ExpandPool {
  readonly parallel = 1;
  private readonly expander: Expander;

  constructor(job: ExploreJob) {
    this.expander = new Expander(job);
  }

  async expand(states: readonly FrontierState[]): Promise<Expansion[]> {
    const out: Expansion[] = [];
    for (const s of states) out.push(await this.expander.expand(s));
    return out;
  }

  fingerprint(state: FrontierState): Promise<string | { readonly error: string }> {
    return this.expander.fingerprint(state);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One worker: this thread; more: that many worker threads (the fingerprint of the start is computed here). */
export function expandPool(job: ExploreJob, workers: number): ExpandPool {
  if (workers <= 1) return new InlinePool(job);
  const inline = new InlinePool(job);
  const pool = new WorkerPool(job, workers);
  return {
    parallel: workers,
    expand: (states) => pool.expand(states),
    fingerprint: (state) => inline.fingerprint(state),
    close: () => pool.close(),
  };
}
