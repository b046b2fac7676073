// One QMP command on the model: a pure function from a state and a command to the outcomes it allows, each with the
// state it leads to, or "not judged" where QEMU's outcome depends on what the model does not follow.
import type { JsonObject, QmpCommand } from '../qmp/types.ts';
import { draft, settled } from './draft.ts';
import type { CommandFacts, Draft } from './draft.ts';
import { dropOrphans } from './edit.ts';
import { isObject, num, str } from './graph.ts';
import { blockCommit } from './jobs/commit.ts';
import { drainHolds } from './jobs/drain.ts';
import { jobNamed, jobVerb, runJob, setSpeed } from './jobs/lifecycle.ts';
import type { Verb } from './jobs/lifecycle.ts';
import { blockdevMirror } from './jobs/mirror.ts';
import { blockStream } from './jobs/stream.ts';
import { blockExportAdd, blockExportDel, nbdServerStart, objectAdd, objectDel } from './ops/exports.ts';
import { blockdevSnapshot, xBlockdevChange } from './ops/graph-changes.ts';
import { blockResize, blockdevAdd, blockdevDel } from './ops/nodes.ts';
import { blockdevReopen } from './reopen.ts';
import { OK, fail } from './result.ts';
import type { ModelError, Result, Unjudged } from './result.ts';
import { COMMAND_MEMBERS, isCommand, shapeError } from './schema.ts';
import type { CommandName } from './schema.ts';
import type { Job, ModelState } from './state.ts';

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: ModelError };

/** One outcome QEMU may give, and the state after it. */
export interface Branch {
  readonly outcome: Outcome;
  readonly state: ModelState;
}

export type Expected =
  | { readonly kind: 'judged'; readonly branches: readonly Branch[]; readonly facts: CommandFacts }
  | { readonly kind: 'not-judged'; readonly why: Unjudged };

type Handler = (d: Draft, args: JsonObject) => Result<unknown>;

function started(d: Draft, r: Result<Job>): Result {
  if (!r.ok) return r;
  const ran = runJob(d, r.value);
  dropOrphans(d);
  return ran;
}

/** job-* take `id`; block-job-* take `device` (but finalize and dismiss, `id`) and cancel a user-paused job only forced. */
const verb = (family: 'job' | 'block-job', v: Verb): Handler => (d, a) => {
  const id = str(a, family === 'job' || v === 'finalize' || v === 'dismiss' ? 'id' : 'device') ?? '';
  const job = jobNamed(d, family, id);
  if (!job.ok) return job;
  if (family === 'block-job' && v === 'cancel' && job.value.paused && a['force'] !== true) return fail('job-state', `The block job for device '${id}' is currently paused`);
  return jobVerb(d, job.value, v, family === 'job' || a['force'] === true);
};

const HANDLERS: Readonly<Record<CommandName, Handler>> = {
  'blockdev-add': blockdevAdd,
  'blockdev-del': blockdevDel,
  'blockdev-reopen': (d, a) => blockdevReopen(d, a['options'] as readonly JsonObject[]),
  block_resize: blockResize,
  'nbd-server-start': nbdServerStart,
  'block-export-add': blockExportAdd,
  'block-export-del': blockExportDel,
  'object-add': objectAdd,
  'object-del': objectDel,
  'x-blockdev-change': xBlockdevChange,
  'blockdev-snapshot': blockdevSnapshot,
  'block-commit': (d, a) => started(d, blockCommit(d, a)),
  'block-stream': (d, a) => started(d, blockStream(d, a)),
  'blockdev-mirror': (d, a) => started(d, blockdevMirror(d, a)),
  ...{ 'job-complete': verb('job', 'complete'), 'job-cancel': verb('job', 'cancel'), 'job-finalize': verb('job', 'finalize') },
  ...{ 'job-dismiss': verb('job', 'dismiss'), 'job-pause': verb('job', 'pause'), 'job-resume': verb('job', 'resume') },
  ...{ 'block-job-complete': verb('block-job', 'complete'), 'block-job-cancel': verb('block-job', 'cancel') },
  ...{ 'block-job-finalize': verb('block-job', 'finalize'), 'block-job-dismiss': verb('block-job', 'dismiss') },
  ...{ 'block-job-pause': verb('block-job', 'pause'), 'block-job-resume': verb('block-job', 'resume') },
  'block-job-set-speed': (d, a) => setSpeed(d, str(a, 'device') ?? '', num(a, 'speed') ?? 0),
  'query-named-block-nodes': () => OK,
  'query-block-jobs': () => OK,
  'x-debug-query-block-graph': () => OK,
  'query-jobs': () => OK,
};

type Run = { readonly kind: 'ran'; readonly branches: readonly Branch[]; readonly draft: Draft } | { readonly kind: 'not-judged'; readonly why: Unjudged };

/** One run on a fresh draft: its result, and the refusals QEMU may give instead (which leave the state as it was). */
function once(s: ModelState, name: CommandName, args: JsonObject, failing: ReadonlySet<string>): Run {
  const d = draft(s, failing);
  const r = HANDLERS[name](d, args);
  if (!r.ok && 'unjudged' in r) return { kind: 'not-judged', why: r.unjudged };
  const main: Branch = r.ok ? { outcome: { ok: true }, state: settled(d) } : { outcome: r, state: s };
  if (drainHolds(main.state)) return { kind: 'not-judged', why: 'drain' };
  return { kind: 'ran', branches: [main, ...d.mayFail.map((error): Branch => ({ outcome: { ok: false, error }, state: s }))], draft: d };
}

const refused = (s: ModelState, error: ModelError): Expected => ({ kind: 'judged', branches: [{ outcome: { ok: false, error }, state: s }], facts: { moved: [], reopened: [] } });

export function apply(s: ModelState, cmd: QmpCommand): Expected {
  if (!isCommand(cmd.execute)) return refused(s, { code: 'command-not-found', message: `The command ${cmd.execute} has not been found` });
  const args = cmd.arguments ?? {};
  if (!isObject(args)) return refused(s, { code: 'invalid-param', message: "QMP input member 'arguments' must be an object" });
  const members = COMMAND_MEMBERS[cmd.execute];
  const bad = shapeError(args, members === 'blockdev' ? 'blockdev' : { struct: members }, '');
  if (bad !== undefined) return refused(s, { code: 'invalid-param', message: bad });
  const first = once(s, cmd.execute, args, new Set());
  if (first.kind === 'not-judged') return first;
  const branches = [...first.branches];
  // a job whose success image data decides: the same command again with it failing
  for (const job of first.draft.dataDependent) {
    const other = once(s, cmd.execute, args, new Set([job]));
    if (other.kind === 'not-judged') return other;
    branches.push(...other.branches);
  }
  return { kind: 'judged', branches, facts: { moved: first.draft.moved, reopened: first.draft.reopened } };
}
