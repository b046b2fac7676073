// When a step is over, as qmprun.py decides it: one command plus the job progress it causes, until every job rests.
import { isJsonObject } from './json-value.ts';
import { isPeerLost } from './types.ts';
import type { JsonValue, PeerLost, QmpEndpoint } from './types.ts';

/** Job statuses qmprun.py waits for. */
export const STABLE_JOB_STATUSES: ReadonlySet<string> = new Set(['ready', 'concluded', 'pending', 'paused', 'standby', 'null', 'undefined']);

/** One query-jobs as its caller asks it: the jobs listed (none when it is refused), or the peer is gone. */
export type JobsAnswer = { readonly jobs: readonly JsonValue[] } | { readonly lost: PeerLost };

export interface SettleLimits {
  /** How long jobs get to rest (qmprun.py: 10 s); 0 asks nothing (the impl's jobs rest at once). */
  readonly limitMs?: number;
  readonly pollMs?: number;
}

/** Asks until every job rests or the limit passes, then goes on with the last list, as qmprun.py's settle does. */
export async function settleJobs(ask: () => Promise<JobsAnswer>, limits: SettleLimits = {}): Promise<JobsAnswer> {
  const start = performance.now();
  let jobs: readonly JsonValue[] = [];
  while (performance.now() - start < (limits.limitMs ?? 10_000)) {
    const a = await ask();
    if ('lost' in a) return a;
    jobs = a.jobs;
    if (jobs.every(isResting)) break;
    await new Promise((resolve) => setTimeout(resolve, limits.pollMs ?? 10));
  }
  return { jobs };
}

/** query-jobs on an endpoint, for settleJobs. */
export async function queryJobs(endpoint: QmpEndpoint): Promise<JobsAnswer> {
  const r = await endpoint.execute({ execute: 'query-jobs' });
  if (isPeerLost(r)) return { lost: r.lost };
  return { jobs: 'return' in r && Array.isArray(r.return) ? r.return : [] };
}

/** A job object in a status qmprun.py waits for; anything else in the list is not resting. */
function isResting(job: JsonValue): boolean {
  const status = isJsonObject(job) ? job['status'] : undefined;
  return typeof status === 'string' && STABLE_JOB_STATUSES.has(status);
}
