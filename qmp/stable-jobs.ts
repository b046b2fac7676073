// When a step is over, as qmprun.py decides it: one command plus the job progress it causes, until every job rests.

/** Job statuses qmprun.py waits for. */
export const STABLE_JOB_STATUSES: ReadonlySet<string> = new Set(['ready', 'concluded', 'pending', 'paused', 'standby', 'null', 'undefined']);
