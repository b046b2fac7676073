// Job verbs (job-complete, job-cancel, …) on existing jobs, mostly in a status that accepts them.
import fc from 'fast-check';
import type { JsonObject } from '../../../qmp/types.ts';
import { mostly, pick } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import { JOB_IDS } from '../gen-state.ts';

/** job.c JobVerbTable, the statuses that accept each verb. */
const ACCEPTS: Readonly<Record<string, readonly string[]>> = {
  complete: ['ready'],
  cancel: ['created', 'running', 'paused', 'ready', 'standby', 'pending'],
  finalize: ['pending'],
  dismiss: ['concluded'],
  pause: ['created', 'running', 'ready'],
  resume: ['paused', 'standby'],
};

function verbKind(verb: string, weight: number): CommandKind {
  const fits = (s: GenState): string[] => s.snapshot.jobs.filter((j) => ACCEPTS[verb]?.includes(j.status)).map((j) => j.id);
  return {
    kind: `job-${verb}`,
    weight,
    // three times as likely while some job accepts the verb (a ready job to complete): what follows it gets reached
    weightIn: (s) => (fits(s).length > 0 ? 3 * weight : weight),
    applicable: (s) => s.snapshot.jobs.length > 0,
    generate: (s) => {
      const good = fits(s);
      const any = s.snapshot.jobs.map((j) => j.id);
      const id = good.length > 0 ? mostly(pick(good), pick([...any, ...JOB_IDS]), 6) : pick([...any, ...JOB_IDS]);
      const force = verb === 'cancel' ? mostly(fc.constant(false), fc.constant(true), 4) : fc.constant(false);
      // the block-job-* spelling takes `device` and, for cancel, `force`
      const legacy = mostly(fc.constant(false), fc.constant(true), 5);
      return fc.tuple(id, force, legacy).map(([i, f, old]) => {
        const args: JsonObject = old ? { device: i, ...(f ? { force: true } : {}) } : { id: i };
        return { execute: old ? `block-job-${verb}` : `job-${verb}`, arguments: args };
      });
    },
  };
}

export const jobComplete = verbKind('complete', 3);
export const jobCancel = verbKind('cancel', 2);
export const jobFinalize = verbKind('finalize', 3);
export const jobDismiss = verbKind('dismiss', 3);
export const jobPause = verbKind('pause', 1);
export const jobResume = verbKind('resume', 1);
