// Which job statuses accept which verbs (job.c JobVerbTable), and the error a verb out of turn gets.
import type { BlockJob, JobStatus, JobVerb } from './job.ts';

/** job.c JobVerbTable: which statuses accept which verbs. */
const VERBS: Readonly<Record<JobVerb, readonly JobStatus[]>> = {
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'waiting', 'pending'],
  pause: ['created', 'running', 'paused', 'ready', 'standby'],
  resume: ['created', 'running', 'paused', 'ready', 'standby'],
  'set-speed': ['created', 'running', 'paused', 'ready', 'standby'],
  complete: ['ready', 'standby'],
  finalize: ['pending'],
  dismiss: ['concluded'],
};

export function verbAllowed(job: BlockJob, verb: JobVerb): string | undefined {
  if (VERBS[verb].includes(job.status)) return undefined;
  return `Job '${job.id}' in state '${job.status}' cannot accept command verb '${verb}'`;
}
