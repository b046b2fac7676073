// QMP command dispatch for the impl: one exhaustive match over the commands it implements.
import { P, match } from 'ts-pattern';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { blockResize } from './block-resize.ts';
import { blockdevAdd } from './blockdev-add.ts';
import { blockdevDel } from './blockdev-del.ts';
import { blockdevReopen } from './blockdev-reopen.ts';
import { blockExportAdd, blockExportDel, nbdServerStart } from './exports.ts';
import { objectAdd, objectDel } from './objects.ts';
import { queryBlockGraph, queryNamedBlockNodes } from './queries.ts';
import { xBlockdevChange } from './x-blockdev-change.ts';
import { blockCommit } from './block-commit.ts';
import { blockStream } from './block-stream.ts';
import { blockdevMirror } from './blockdev-mirror.ts';
import { blockdevSnapshot } from './blockdev-snapshot.ts';
import { driveMirror } from './drive-mirror.ts';
import { JOB_COMMANDS, jobCommand, queryBlockJobs, queryJobs } from './job-control.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { bool, opt } from '../qapi/schema.ts';
import type { QapiMember } from '../qapi/schema.ts';

export const IMPL_COMMANDS = [
  'blockdev-add',
  'blockdev-del',
  'blockdev-reopen',
  'block_resize',
  'object-add',
  'object-del',
  'nbd-server-start',
  'block-export-add',
  'block-export-del',
  'x-blockdev-change',
  'query-named-block-nodes',
  'x-debug-query-block-graph',
  'query-jobs',
  'query-block-jobs',
  'block-commit',
  'block-stream',
  'blockdev-mirror',
  'blockdev-snapshot',
  'drive-mirror',
  ...JOB_COMMANDS,
] as const;
export type ImplCommand = (typeof IMPL_COMMANDS)[number];

export function isImplCommand(name: string): name is ImplCommand {
  return (IMPL_COMMANDS as readonly string[]).includes(name);
}

const unit = (r: Result<unknown>): Result<JsonValue> => (r.ok ? ok({}) : r);

/** Queries still reject arguments they do not take. */
function query(args: JsonObject, members: readonly QapiMember[], answer: () => JsonValue): Result<JsonValue> {
  const v = qapi.visitStruct(args, members, '');
  return v.ok ? ok(answer()) : v;
}

export function dispatch(env: BlockEnv, name: ImplCommand, args: JsonObject): Result<JsonValue> {
  return match(name)
    .with('blockdev-add', () => unit(blockdevAdd(env, args)))
    .with('blockdev-del', () => unit(blockdevDel(env, args)))
    .with('blockdev-reopen', () => unit(blockdevReopen(env, args)))
    .with('block_resize', () => unit(blockResize(env, args)))
    .with('object-add', () => unit(objectAdd(env, args)))
    .with('object-del', () => unit(objectDel(env, args)))
    .with('nbd-server-start', () => unit(nbdServerStart(env, args)))
    .with('block-export-add', () => unit(blockExportAdd(env, args)))
    .with('block-export-del', () => {
      const r = blockExportDel(env, args);
      if (r.ok) env.events.emit('BLOCK_EXPORT_DELETED', { id: r.value });
      return unit(r);
    })
    .with('x-blockdev-change', () => unit(xBlockdevChange(env, args)))
    .with('query-named-block-nodes', () => {
      const v = qapi.visitStruct(args, [opt('flat', bool)], '');
      return v.ok ? queryNamedBlockNodes(env, args['flat'] === true) : v;
    })
    .with('x-debug-query-block-graph', () => query(args, [], () => queryBlockGraph(env)))
    .with('query-jobs', () => query(args, [], () => queryJobs(env)))
    .with('query-block-jobs', () => query(args, [], () => queryBlockJobs(env)))
    .with('block-commit', () => unit(blockCommit(env, args)))
    .with('block-stream', () => unit(blockStream(env, args)))
    .with('blockdev-mirror', () => unit(blockdevMirror(env, args)))
    .with('blockdev-snapshot', () => unit(blockdevSnapshot(env, args)))
    .with('drive-mirror', () => unit(driveMirror(env, args)))
    .with(P.union(...JOB_COMMANDS), (n) => unit(jobCommand(env, n, args)))
    .exhaustive();
}

export function commandNotFound(name: string): Result<JsonValue> {
  return fail('command-not-found', `The command ${name} has not been found`, 'CommandNotFound');
}
