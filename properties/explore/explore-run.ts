// One exploration: a pool of expanders, the search from the empty graph (or a checkpoint), new findings stored as
// fixtures, checkpoints written as it goes.
import { writeCheckpoint } from './checkpoint.ts';
import { expandPool } from './expand-pool.ts';
import type { ExploreJob } from './expander.ts';
import { search, startPoint } from './search.ts';
import type { SearchPoint, SearchProgress, SearchResult } from './search.ts';
import { storeFinding } from './store-finding.ts';

export interface ExploreRunOptions {
  readonly job: ExploreJob;
  readonly depth: number;
  readonly workers: number;
  readonly outDir: string;
  readonly tool: string;
  readonly shrinkBudgetMs: number;
  readonly untilFound: boolean;
  /** Signatures that are not news (QEMU 7.2 defects, fixtures already stored); a resumed search keeps its own. */
  readonly known: readonly string[];
  readonly checkpoint?: { readonly path: string; readonly everyMs: number };
  readonly resume?: SearchPoint;
  readonly onProgress?: (p: SearchProgress) => void;
  readonly now?: () => number;
}

export type ExploreRun = { readonly ok: true; readonly result: SearchResult } | { readonly ok: false; readonly message: string };

export async function runExplore(o: ExploreRunOptions): Promise<ExploreRun> {
  const now = o.now ?? (() => performance.now());
  const pool = expandPool(o.job, o.workers);
  try {
    const start = o.resume ?? (await startPoint(pool, o.known));
    if (typeof start === 'string') return { ok: false, message: start };
    let lastSaved = now();
    const cp = o.checkpoint;
    const save = async (p: SearchPoint): Promise<void> => {
      if (!cp) return;
      lastSaved = now();
      await writeCheckpoint(cp.path, o.job, p);
    };
    const result = await search(start, {
      job: o.job,
      depth: o.depth,
      pool,
      untilFound: o.untilFound,
      store: (f) => storeFinding(f, { job: o.job, outDir: o.outDir, tool: o.tool, shrinkBudgetMs: o.shrinkBudgetMs }),
      onBatch: async (p, progress) => {
        o.onProgress?.(progress);
        // at every depth's end, and every so often within one
        if (cp && (p.index === 0 || now() - lastSaved >= cp.everyMs)) await save(p);
      },
      ...(o.now ? { now: o.now } : {}),
    });
    await save(result.point);
    return { ok: true, result };
  } finally {
    await pool.close();
  }
}
