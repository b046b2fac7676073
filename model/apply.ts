// One QMP command on the model: the outcomes it allows, each with the state after it, or "not judged".
import type { JsonObject, QmpCommand } from '../qmp/types.ts';
import { draft, settled, type CommandFacts, type Draft } from './draft.ts';
import { dropOrphans } from './edit.ts';
import { str } from './graph.ts';
import { isObjectValue } from '../qmp/json-value.ts';
import { blockCommit } from './jobs/commit.ts';
import { drainHolds, jobVerb, runJob, type Verb } from './jobs/lifecycle.ts';
import { blockdevMirror } from './jobs/mirror.ts';
import { blockStream } from './jobs/stream.ts';
import { blockExportAdd, blockExportDel, nbdServerStart, objectAdd, objectDel } from './ops/exports.ts';
import { blockResize, blockdevAdd, blockdevDel, blockdevSnapshot, xBlockdevChange } from './ops/nodes.ts';
import { blockdevReopen } from './reopen.ts';
import { OK, fail, type ModelError, type Result, type Unjudged } from './result.ts';
import type { Job, ModelState } from './state.ts';

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: ModelError };
/** One outcome QEMU may give, and the state after it. */
export type Branch = { readonly outcome: Outcome; readonly state: ModelState };
export type Expected = { readonly kind: 'judged'; readonly branches: readonly Branch[]; readonly facts: CommandFacts } | { readonly kind: 'not-judged'; readonly why: Unjudged };

type Handler = (d: Draft, args: JsonObject) => Result<unknown>;

const started = (d: Draft, r: Result<Job>): Result => {
  const ran = r.ok ? runJob(d, r.value) : r;
  dropOrphans(d);
  return ran;
};

/** job-* name the job by `id`, block-job-* by `device` (finalize, dismiss: `id`) and cancel a paused one only forced. */
const verb = (family: 'job' | 'block-job', v: Verb): Handler => (d, a) => {
  const id = str(a, family === 'job' || v === 'finalize' || v === 'dismiss' ? 'id' : 'device') ?? '';
  const paused = d.jobs.find((j) => j.id === id)?.paused === true;
  if (family === 'block-job' && v === 'cancel' && paused && a['force'] !== true) return fail('job-state', `The block job for device '${id}' is currently paused`);
  return jobVerb(d, family, id, v, family === 'job' || a['force'] === true);
};

const HANDLERS = {
  ...{ 'blockdev-add': blockdevAdd, 'blockdev-del': blockdevDel, block_resize: blockResize, 'blockdev-snapshot': blockdevSnapshot },
  'blockdev-reopen': (d, a) => blockdevReopen(d, Array.isArray(a['options']) ? a['options'].filter(isObjectValue) : []),
  ...{ 'nbd-server-start': nbdServerStart, 'block-export-add': blockExportAdd, 'block-export-del': blockExportDel },
  ...{ 'object-add': objectAdd, 'object-del': objectDel, 'x-blockdev-change': xBlockdevChange },
  'block-commit': (d, a) => started(d, blockCommit(d, a)),
  'block-stream': (d, a) => started(d, blockStream(d, a)),
  'blockdev-mirror': (d, a) => started(d, blockdevMirror(d, a)),
  ...{ 'job-complete': verb('job', 'complete'), 'job-cancel': verb('job', 'cancel'), 'job-finalize': verb('job', 'finalize') },
  ...{ 'job-dismiss': verb('job', 'dismiss'), 'job-pause': verb('job', 'pause'), 'job-resume': verb('job', 'resume') },
  ...{ 'block-job-complete': verb('block-job', 'complete'), 'block-job-cancel': verb('block-job', 'cancel'), 'block-job-finalize': verb('block-job', 'finalize') },
  ...{ 'block-job-dismiss': verb('block-job', 'dismiss'), 'block-job-pause': verb('block-job', 'pause'), 'block-job-resume': verb('block-job', 'resume') },
  'block-job-set-speed': verb('block-job', 'set-speed'),
  ...{ 'query-named-block-nodes': () => OK, 'x-debug-query-block-graph': () => OK, 'query-jobs': () => OK, 'query-block-jobs': () => OK },
} as const satisfies Readonly<Record<string, Handler>>;
type CommandName = keyof typeof HANDLERS;

type Run = { readonly kind: 'ran'; readonly branches: readonly Branch[]; readonly draft: Draft } | { readonly kind: 'not-judged'; readonly why: Unjudged };

/** One run on a fresh draft: its result, and the refusals QEMU may give instead (which leave the state as it was). */
function once(s: ModelState, name: CommandName, args: JsonObject, failing: ReadonlySet<string>): Run {
  const d = draft(s, failing);
  const r = HANDLERS[name](d, args);
  if (!r.ok && 'unjudged' in r) return { kind: 'not-judged', why: r.unjudged };
  const after = r.ok ? settled(d) : s;
  if (drainHolds(after)) return { kind: 'not-judged', why: 'drain' };
  const refusals = [...(r.ok ? [] : [r.error, ...(r.also ?? [])]), ...d.mayFail].map((error): Branch => ({ outcome: { ok: false, error }, state: s }));
  return { kind: 'ran', branches: r.ok ? [{ outcome: { ok: true }, state: after }, ...refusals] : refusals, draft: d };
}

const refused = (s: ModelState, error: ModelError): Expected => ({ kind: 'judged', branches: [{ outcome: { ok: false, error }, state: s }], facts: { moved: [], reopened: [], madeWritable: [] } });

/** Arguments are taken as QAPI visited them: their shape is the other side's to check (properties/compare). */
export function apply(s: ModelState, cmd: QmpCommand): Expected {
  const [name, args] = [cmd.execute, cmd.arguments ?? {}];
  if (!Object.hasOwn(HANDLERS, name)) return refused(s, { code: 'command-not-found', message: `The command ${name} has not been found` });
  if (!isObjectValue(args)) return refused(s, { code: 'invalid-param', message: "QMP input member 'arguments' must be an object" });
  const first = once(s, name as CommandName, args, new Set());
  if (first.kind === 'not-judged') return first;
  // a job whose success image data decides: the same command again with it failing
  const others = first.draft.dataDependent.map((job) => once(s, name as CommandName, args, new Set([job])));
  const unjudged = others.find((o) => o.kind === 'not-judged');
  if (unjudged) return unjudged;
  const branches = [first, ...others].flatMap((o) => (o.kind === 'ran' ? o.branches : []));
  return { kind: 'judged', branches, facts: { moved: first.draft.moved, reopened: first.draft.reopened, madeWritable: first.draft.madeWritable } };
}
