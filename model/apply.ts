// One QMP command on the model: a pure function from a state and a command to the next state and a result.
import type { JsonObject, JsonValue, QmpCommand } from '../qmp/types.ts';
import { locksOf } from './check.ts';
import { withContext } from './context.ts';
import type { Qemu72Defect } from './context.ts';
import { draft, dropOrphans } from './edit.ts';
import { isObject, str } from './graph.ts';
import { blockCommit } from './jobs/commit.ts';
import { jobVerb, settleDrains, startJob as startModelJob } from './jobs/lifecycle.ts';
import type { Verb } from './jobs/lifecycle.ts';
import { blockdevMirror } from './jobs/mirror.ts';
import { blockStream } from './jobs/stream.ts';
import { blockExportAdd, blockExportDel, nbdServerStart, objectAdd, objectDel } from './ops/exports.ts';
import { blockdevSnapshot, xBlockdevChange } from './ops/graph-changes.ts';
import { blockResize, blockdevAdd, blockdevDel } from './ops/nodes.ts';
import { blockGraph, namedNodes, queryJobs } from './query.ts';
import { blockdevReopen } from './reopen.ts';
import { DropRefused, FailedWithResidue, fail, ok } from './result.ts';
import type { Result } from './result.ts';
import { COMMAND_MEMBERS, shapeError } from './schema.ts';
import type { Job, ModelState } from './state.ts';

export interface Step {
  readonly state: ModelState;
  readonly result: Result<JsonValue>;
}

const VERBS: readonly Verb[] = ['complete', 'cancel', 'finalize', 'dismiss', 'pause', 'resume'];

/** `emulate` (comparisons only) makes the model reproduce QEMU 7.2 defects instead of the intended behaviour. */
export function apply(s: ModelState, cmd: QmpCommand, emulate: readonly Qemu72Defect[] = []): Step {
  const args = cmd.arguments ?? {};
  const members = COMMAND_MEMBERS[cmd.execute];
  if (members === undefined) return { state: s, result: fail('command-not-found', `The command ${cmd.execute} has not been found`) };
  if (!isObject(args)) return { state: s, result: fail('invalid-param', "QMP input member 'arguments' must be an object") };
  const bad = shapeError(args, members === 'blockdev' ? 'blockdev' : { struct: members }, '');
  if (bad !== undefined) return { state: s, result: fail('invalid-param', bad) };
  const d = draft(s);
  let residue: ModelState | undefined;
  const result = withContext({ held: locksOf(s), emulate: new Set(emulate) }, () => {
    try {
      const r = run(d, cmd.execute, args);
      if (r.ok) settleDrains(d);
      return r;
    } catch (e) {
      if (e instanceof DropRefused) return { ok: false as const, error: e.error };
      if (!(e instanceof FailedWithResidue)) throw e;
      residue = e.state;
      return { ok: false as const, error: e.error };
    }
  });
  // a failed command changes nothing (but its residue), and automatic node names it handed out stay used (QEMU's global counter)
  return result.ok ? { state: d, result } : { state: { ...(residue ?? s), nextAuto: d.nextAuto }, result };
}

const unit = (r: Result<unknown>): Result<JsonValue> => (r.ok ? ok({}) : r);

function startJob(d: ModelState, r: Result<Job>): Result<JsonValue> {
  if (!r.ok) return r;
  startModelJob(d, r.value);
  dropOrphans(d);
  return ok({});
}

type Handler = (d: ModelState, args: JsonObject) => Result<JsonValue>;

/** Every command but the job verbs (job-* and block-job-*, one family each). */
const COMMANDS: Readonly<Record<string, Handler>> = {
  'blockdev-add': (d, a) => unit(blockdevAdd(d, a)),
  'blockdev-del': (d, a) => unit(blockdevDel(d, a)),
  'blockdev-reopen': (d, a) => unit(blockdevReopen(d, a['options'] as readonly JsonObject[])),
  block_resize: (d, a) => unit(blockResize(d, a)),
  'nbd-server-start': (d, a) => unit(nbdServerStart(d, a)),
  'block-export-add': (d, a) => unit(blockExportAdd(d, a)),
  'block-export-del': (d, a) => unit(blockExportDel(d, a)),
  'object-add': (d, a) => unit(objectAdd(d, a)),
  'object-del': (d, a) => unit(objectDel(d, a)),
  'x-blockdev-change': (d, a) => unit(xBlockdevChange(d, a)),
  'blockdev-snapshot': (d, a) => unit(blockdevSnapshot(d, a)),
  'block-commit': (d, a) => startJob(d, blockCommit(d, a)),
  'block-stream': (d, a) => startJob(d, blockStream(d, a)),
  'blockdev-mirror': (d, a) => startJob(d, blockdevMirror(d, a)),
  'query-named-block-nodes': (d) => ok(namedNodes(d) as unknown as JsonValue),
  'x-debug-query-block-graph': (d) => ok(blockGraph(d) as unknown as JsonValue),
  'query-jobs': (d) => ok(queryJobs(d)),
};

function run(d: ModelState, name: string, args: JsonObject): Result<JsonValue> {
  const family = name.startsWith('block-job-') ? 'block-job' : name.startsWith('job-') ? 'job' : undefined;
  if (family !== undefined) return unit(jobCommand(d, family, name.slice(family.length + 1), args));
  const handler = COMMANDS[name];
  return handler ? handler(d, args) : fail('command-not-found', `The command ${name} has not been found`);
}

function jobCommand(d: ModelState, family: 'job' | 'block-job', verb: string, args: JsonObject): Result {
  const key = family === 'job' || verb === 'finalize' || verb === 'dismiss' ? 'id' : 'device';
  const id = str(args, key) ?? '';
  const job = d.jobs.find((j) => j.id === id);
  if (!job) return fail('not-found', family === 'job' ? 'Job not found' : `Block job '${id}' not found`);
  const v = VERBS.find((x) => x === verb);
  if (v === undefined) return fail('command-not-found', `The command ${family}-${verb} has not been found`);
  // block-job-cancel refuses a user-paused job unless forced (qmp_block_job_cancel)
  if (family === 'block-job' && v === 'cancel' && job.paused && args['force'] !== true) return fail('job-state', `The block job for device '${id}' is currently paused`);
  // job-cancel always forces; block-job-cancel only with force
  return jobVerb(d, job, v, family === 'job' || args['force'] === true);
}
