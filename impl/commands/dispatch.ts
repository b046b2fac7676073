// QMP command dispatch for the impl: one handler for each block command of the shared vocabulary (qmp/command-name.ts).
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { JOB_COMMAND_NAMES } from '../../qmp/command-name.ts';
import type { BlockCommandName, JobCommandName } from '../../qmp/command-name.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { blockResize } from './block-resize.ts';
import { blockdevAdd } from './blockdev-add.ts';
import { blockdevDel } from './blockdev-del.ts';
import { blockdevReopen } from './blockdev-reopen.ts';
import { blockExportAdd, blockExportDel, nbdServerStart } from './exports.ts';
import { objectAdd, objectDel } from './objects.ts';
import { queryBlockGraph, queryNamedBlockNodes, walkNodes } from './queries.ts';
import { xBlockdevChange } from './x-blockdev-change.ts';
import { blockCommit } from './block-commit.ts';
import { blockStream } from './block-stream.ts';
import { blockdevMirror } from './blockdev-mirror.ts';
import { blockdevSnapshot } from './blockdev-snapshot.ts';
import { driveMirror } from './drive-mirror.ts';
import { jobCommand, queryBlockJobs, queryJobs } from './job-control.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, opt } from '../qapi/schema.ts';
import type { QapiMember } from '../qapi/schema.ts';

type Handler = (env: BlockEnv, args: JsonObject) => Result<JsonValue>;

const unit = (r: Result<unknown>): Result<JsonValue> => (r.ok ? ok({}) : r);

/** Queries still reject arguments they do not take. */
function query(args: JsonObject, members: readonly QapiMember[], answer: () => JsonValue): Result<JsonValue> {
  const v = qapi.visitStruct(args, members, '');
  return v.ok ? ok(answer()) : v;
}

const jobHandler =
  (name: JobCommandName): Handler =>
  (env, args) =>
    unit(jobCommand(env, name, args));

const JOB_HANDLERS = Object.fromEntries(JOB_COMMAND_NAMES.map((n) => [n, jobHandler(n)])) as Record<JobCommandName, Handler>;

const HANDLERS = {
  'blockdev-add': (env, args) => unit(blockdevAdd(env, args)),
  'blockdev-del': (env, args) => unit(blockdevDel(env, args)),
  'blockdev-reopen': (env, args) => unit(blockdevReopen(env, args)),
  block_resize: (env, args) => unit(blockResize(env, args)),
  'object-add': (env, args) => unit(objectAdd(env, args)),
  'object-del': (env, args) => unit(objectDel(env, args)),
  'nbd-server-start': (env, args) => unit(nbdServerStart(env, args)),
  'block-export-add': (env, args) => unit(blockExportAdd(env, args)),
  'block-export-del': (env, args) => {
    const r = blockExportDel(env, args);
    if (r.ok) env.events.emit('BLOCK_EXPORT_DELETED', { id: r.value });
    return unit(r);
  },
  'x-blockdev-change': (env, args) => unit(xBlockdevChange(env, args)),
  'query-named-block-nodes': (env, args) => {
    walkNodes(env);
    const v = qapi.visitStruct(args, [opt('flat', bool)], '');
    return v.ok ? queryNamedBlockNodes(env, args['flat'] === true) : v;
  },
  'x-debug-query-block-graph': (env, args) => {
    walkNodes(env);
    return query(args, [], () => queryBlockGraph(env));
  },
  'query-jobs': (env, args) => query(args, [], () => queryJobs(env)),
  'query-block-jobs': (env, args) => query(args, [], () => queryBlockJobs(env)),
  'block-commit': (env, args) => unit(blockCommit(env, args)),
  'block-stream': (env, args) => unit(blockStream(env, args)),
  'blockdev-mirror': (env, args) => unit(blockdevMirror(env, args)),
  'blockdev-snapshot': (env, args) => unit(blockdevSnapshot(env, args)),
  'drive-mirror': (env, args) => unit(driveMirror(env, args)),
  ...JOB_HANDLERS,
} satisfies Record<BlockCommandName, Handler>;

export function dispatch(env: BlockEnv, name: BlockCommandName, args: JsonObject): Result<JsonValue> {
  return HANDLERS[name](env, args);
}

export function commandNotFound(name: string): Result<JsonValue> {
  return fail('command-not-found', `The command ${name} has not been found`, 'CommandNotFound');
}
