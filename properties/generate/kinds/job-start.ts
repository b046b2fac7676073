// What every job-starting command shares: a job id (mostly fresh), manual finalize/dismiss now and then.
import fc from 'fast-check';
import type { JsonValue } from '../../../qmp/types.ts';
import { sometimes } from '../arb.ts';
import type { GenState } from '../command-kind.ts';
import { JOB_IDS, freshId } from '../gen-state.ts';

export type Fields = { readonly [k: string]: fc.Arbitrary<JsonValue | undefined> };

export function jobFields(s: GenState): Fields {
  return {
    'job-id': freshId(JOB_IDS, s.snapshot.jobs.map((j) => j.id)),
    'auto-finalize': sometimes(fc.constant(false), 3),
    'auto-dismiss': sometimes(fc.constant(false), 3),
  };
}
