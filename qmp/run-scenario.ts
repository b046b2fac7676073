// Runs a scenario's commands on any QMP endpoint and reports what ../shared/tools/qmprun.py prints.
import type { NormalizedGraph } from './normalized-graph.ts';
import { pyJsonDumps } from './py-json.ts';
import { toJsonValue } from './json-value.ts';
import { isObservationName } from './observation.ts';
import { queryGraph } from './query-graph.ts';
import type { Scenario } from './scenario.ts';
import { queryJobs, settleJobs } from './stable-jobs.ts';
import type { ScenarioResult, StepResult } from './scenario-result.ts';
import { isPeerLost, type PeerLost, type QmpEndpoint } from './types.ts';

export interface RunOptions {
  /** Also report the graph after every step (qmprun.py --every). */
  readonly every: boolean;
  /** How long to wait for jobs to reach a stable state after a step (qmprun.py: 10 s). */
  readonly settleLimitMs?: number;
  readonly pollIntervalMs?: number;
}

export type RunScenarioOutcome =
  | { readonly ok: true; readonly result: ScenarioResult }
  | { readonly ok: false; readonly error: { readonly code: 'bad-graph-reply'; readonly message: string } };

// qmprun.py keeps the last 500 characters of a crash message
const CRASH_TEXT_LIMIT = 500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type GraphOutcome = { kind: 'graph'; graph: NormalizedGraph } | { kind: 'lost'; lost: PeerLost } | { kind: 'bad'; message: string };

export async function runScenario(scenario: Scenario, endpoint: QmpEndpoint, opts: RunOptions): Promise<RunScenarioOutcome> {
  const steps: StepResult[] = [];
  const graphs: NormalizedGraph[] = [];
  const crashed = (): RunScenarioOutcome => ({
    ok: true,
    result: { steps, graph: null, crashed: true, ...(opts.every ? { graphs } : {}) },
  });
  for (const c of scenario.commands) {
    const r = await endpoint.execute(c);
    if (isPeerLost(r)) {
      steps.push({ execute: c.execute, ok: false, crashed: true, error: tail(r.lost.message) });
      return crashed();
    }
    const st: Mutable<StepResult> = { execute: c.execute, ok: 'return' in r };
    if ('error' in r) st.error = r.error.desc;
    // observations (qmp/observation.ts) are recorded like queries
    if (c.execute.startsWith('query') || c.execute.startsWith('x-debug') || isObservationName(c.execute)) st.return = 'return' in r ? r.return : null;
    // the jobs left are not reported: only a lost peer counts
    const settled = await settleJobs(() => queryJobs(endpoint), { limitMs: opts.settleLimitMs, pollMs: opts.pollIntervalMs });
    const after: GraphOutcome = 'lost' in settled ? { kind: 'lost', lost: settled.lost } : await normalizeNow(endpoint);
    if (after.kind === 'bad') return { ok: false, error: { code: 'bad-graph-reply', message: after.message } };
    if (after.kind === 'lost') {
      // the peer died after replying: keep the reply's ok/error and carry the crash text in `error`
      st.crashed = true;
      if (!('error' in st)) st.error = tail(after.lost.message);
      steps.push(st);
      return crashed();
    }
    steps.push(st);
    if (opts.every) graphs.push(after.graph);
  }
  const last = await normalizeNow(endpoint);
  if (last.kind === 'bad') return { ok: false, error: { code: 'bad-graph-reply', message: last.message } };
  // qmprun.py would die here with a traceback; reporting a crash is the closest faithful answer
  if (last.kind === 'lost') return crashed();
  return { ok: true, result: { steps, graph: last.graph, ...(opts.every ? { graphs } : {}) } };
}

/** The text qmprun.py prints for a result: json.dumps(result, indent=1), without print's trailing newline. */
export function formatResult(result: ScenarioResult): string {
  return pyJsonDumps(toJsonValue(result), 1);
}

async function normalizeNow(endpoint: QmpEndpoint): Promise<GraphOutcome> {
  const read = await queryGraph(endpoint);
  return read.kind === 'graph' ? { kind: 'graph', graph: read.normalized } : read;
}

/** The last characters by code point, like Python's s[-n:]. */
function tail(s: string): string {
  const cps = Array.from(s);
  return cps.length <= CRASH_TEXT_LIMIT ? s : cps.slice(-CRASH_TEXT_LIMIT).join('');
}
