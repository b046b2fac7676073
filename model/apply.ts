// One QMP command on the model: a pure function from a state and a command to the next state and a result.
import { match } from 'ts-pattern';
import type { JsonObject, JsonValue, QmpCommand } from '../qmp/types.ts';
import { locksOf } from './check.ts';
import { withContext } from './context.ts';
import type { Qemu72Defect } from './context.ts';
import { draft, dropOrphans } from './edit.ts';
import { isObject, str } from './graph.ts';
import { blockCommit } from './jobs/commit.ts';
import { jobVerb, runJob } from './jobs/lifecycle.ts';
import type { Verb } from './jobs/lifecycle.ts';
import { blockdevMirror } from './jobs/mirror.ts';
import { blockStream } from './jobs/stream.ts';
import { blockExportAdd, blockExportDel, nbdServerStart, objectAdd, objectDel } from './ops/exports.ts';
import { blockdevSnapshot, xBlockdevChange } from './ops/graph-changes.ts';
import { blockResize, blockdevAdd, blockdevDel } from './ops/nodes.ts';
import { blockGraph, namedNodes, queryJobs } from './query.ts';
import { blockdevReopen } from './reopen.ts';
import { DropRefused, fail, ok } from './result.ts';
import type { Result } from './result.ts';
import { COMMAND_MEMBERS, shapeError } from './schema.ts';
import type { Job, ModelState } from './state.ts';

export interface Step {
  readonly state: ModelState;
  readonly result: Result<JsonValue>;
}

const VERBS: readonly Verb[] = ['complete', 'cancel', 'finalize', 'dismiss', 'pause', 'resume'];
/** Commands by family: job-* and block-job-* verbs are one family each. */
const FAMILIES = [
  'blockdev-add', 'blockdev-del', 'blockdev-reopen', 'block_resize', 'nbd-server-start', 'block-export-add', 'block-export-del',
  'object-add', 'object-del', 'x-blockdev-change', 'blockdev-snapshot', 'block-commit', 'block-stream', 'blockdev-mirror',
  'job', 'block-job', 'query-named-block-nodes', 'x-debug-query-block-graph', 'query-jobs',
] as const;

/** `emulate` (comparisons only) makes the model reproduce QEMU 7.2 defects instead of the intended behaviour. */
export function apply(s: ModelState, cmd: QmpCommand, emulate: readonly Qemu72Defect[] = []): Step {
  const args = cmd.arguments ?? {};
  const members = COMMAND_MEMBERS[cmd.execute];
  if (members === undefined) return { state: s, result: fail('command-not-found', `The command ${cmd.execute} has not been found`) };
  if (!isObject(args)) return { state: s, result: fail('invalid-param', "QMP input member 'arguments' must be an object") };
  const bad = shapeError(args, members === 'blockdev' ? 'blockdev' : { struct: members }, '');
  if (bad !== undefined) return { state: s, result: fail('invalid-param', bad) };
  const d = draft(s);
  const result = withContext({ held: locksOf(s), emulate: new Set(emulate) }, () => {
    try {
      return run(d, cmd.execute, args);
    } catch (e) {
      if (e instanceof DropRefused) return { ok: false as const, error: e.error };
      throw e;
    }
  });
  // a failed command changes nothing, but automatic node names it handed out stay used (QEMU's global counter)
  return result.ok ? { state: d, result } : { state: { ...s, nextAuto: d.nextAuto }, result };
}

const unit = (r: Result<unknown>): Result<JsonValue> => (r.ok ? ok({}) : r);

function startJob(d: ModelState, r: Result<Job>): Result<JsonValue> {
  if (!r.ok) return r;
  runJob(d, r.value);
  dropOrphans(d);
  return ok({});
}

function run(d: ModelState, name: string, args: JsonObject): Result<JsonValue> {
  const [prefix, verb] = name.startsWith('block-job-') ? ['block-job', name.slice(10)] : name.startsWith('job-') ? ['job', name.slice(4)] : [name, ''];
  const family = FAMILIES.find((f) => f === prefix);
  if (family === undefined) return fail('command-not-found', `The command ${name} has not been found`);
  return match(family)
    .with('blockdev-add', () => unit(blockdevAdd(d, args)))
    .with('blockdev-del', () => unit(blockdevDel(d, args)))
    .with('blockdev-reopen', () => unit(blockdevReopen(d, args['options'] as readonly JsonObject[])))
    .with('block_resize', () => unit(blockResize(d, args)))
    .with('nbd-server-start', () => unit(nbdServerStart(d, args)))
    .with('block-export-add', () => unit(blockExportAdd(d, args)))
    .with('block-export-del', () => unit(blockExportDel(d, args)))
    .with('object-add', () => unit(objectAdd(d, args)))
    .with('object-del', () => unit(objectDel(d, args)))
    .with('x-blockdev-change', () => unit(xBlockdevChange(d, args)))
    .with('blockdev-snapshot', () => unit(blockdevSnapshot(d, args)))
    .with('block-commit', () => startJob(d, blockCommit(d, args)))
    .with('block-stream', () => startJob(d, blockStream(d, args)))
    .with('blockdev-mirror', () => startJob(d, blockdevMirror(d, args)))
    .with('job', 'block-job', (f) => unit(jobCommand(d, f, verb, args)))
    .with('query-named-block-nodes', () => ok(namedNodes(d) as unknown as JsonValue))
    .with('x-debug-query-block-graph', () => ok(blockGraph(d) as unknown as JsonValue))
    .with('query-jobs', () => ok(queryJobs(d)))
    .exhaustive();
}

function jobCommand(d: ModelState, family: 'job' | 'block-job', verb: string, args: JsonObject): Result {
  const key = family === 'job' || verb === 'finalize' || verb === 'dismiss' ? 'id' : 'device';
  const id = str(args, key) ?? '';
  const job = d.jobs.find((j) => j.id === id);
  if (!job) return fail('not-found', family === 'job' ? 'Job not found' : `Block job '${id}' not found`);
  const v = VERBS.find((x) => x === verb);
  if (v === undefined) return fail('command-not-found', `The command ${family}-${verb} has not been found`);
  // job-cancel always forces; block-job-cancel only with force
  return jobVerb(d, job, v, family === 'job' || args['force'] === true);
}
