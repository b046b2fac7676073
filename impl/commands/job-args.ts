// Shared pieces of the job-starting commands: root lookup, job flags, the job then runs at once.
import type { JsonObject } from '../../qmp/types.ts';
import { intArg } from '../drivers/common.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { isInserted } from '../core/inserted.ts';
import { lookupBs } from '../core/lookup.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import type { Transaction } from '../core/transaction.ts';
import type { BlockJob, JobCommonParams } from '../jobs/job.ts';
import { startJob } from '../jobs/job-lifecycle.ts';

/** qmp_get_root_bs: only nodes whose parents are all BlockBackends may be a job's device, and one with a medium. */
export function rootBs(env: BlockEnv, name: string): Result<BlockNode> {
  const n = lookupBs(env, name, name);
  if (!n.ok) return n;
  if (!n.value.parents.every((e) => e.parent.kind === 'backend')) return fail('invalid-param', 'Need a root block node');
  if (!isInserted(n.value)) return fail('io-error', 'Device has no medium');
  return n;
}

export const str = (args: JsonObject, k: string): string | undefined => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
export const num = (args: JsonObject, k: string): number | undefined => intArg(args, k);
/** auto-finalize / auto-dismiss default to true; only an explicit false turns them off. */
export const flag = (args: JsonObject, k: string): boolean => args[k] !== false;

/** What every job-starting command passes on to its job from its arguments. */
export const jobCommon = (args: JsonObject): JobCommonParams => ({
  jobId: str(args, 'job-id'),
  speed: num(args, 'speed') ?? 0,
  filterNodeName: str(args, 'filter-node-name'),
  autoFinalize: flag(args, 'auto-finalize'),
  autoDismiss: flag(args, 'auto-dismiss'),
});

/** What a failed job start leaves behind in QEMU 7.2 despite its cleanup (registered by the creator). */
export type Residue = (fn: () => void) => void;

/** Creates the job in one transaction (all or nothing, plus any residue), then lets it run to a stable status. */
export function launchJob(env: BlockEnv, create: (tx: Transaction, residue: Residue) => Result<BlockJob>): Result<void> {
  let job: BlockJob | undefined;
  const leftovers: Array<() => void> = [];
  const r = inTransaction((tx) => {
    const j = create(tx, (fn) => leftovers.push(fn));
    if (j.ok) job = j.value;
    return j;
  });
  if (!r.ok) {
    for (const fn of leftovers) fn();
    return r;
  }
  if (job) startJob(env, job);
  return ok(undefined);
}
