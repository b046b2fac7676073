// Runs a scenario's commands on a QMP endpoint and keeps, per step, the reply and the graph after it (as qmprun.py
// does: one command, then wait until every job is in a stable state, then read the graph).
import { nameNodes } from '../qmp/normalize.ts';
import { queryGraph } from '../qmp/query-graph.ts';
import { queryJobs, settleJobs } from '../qmp/stable-jobs.ts';
import { isPeerLost } from '../qmp/types.ts';
import type { JsonValue, QmpCommand, QmpEndpoint } from '../qmp/types.ts';
import type { JobDetails, NodeDetails, StepGraph, StepReply, TraceStep } from './step-trace.ts';
import { isObjectValue } from '../qmp/json-value.ts';

type Read<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'lost'; readonly stderr: string } | { readonly kind: 'bad'; readonly message: string };

function jobsOf(v: JsonValue | undefined): JobDetails[] {
  if (!Array.isArray(v)) return [];
  return (v as readonly JsonValue[]).filter(isObjectValue).map((j) => ({ id: String(j['id'] ?? ''), type: String(j['type'] ?? ''), status: String(j['status'] ?? '') }));
}

/** Polls query-jobs until every job is stable (or qmprun.py's limit passes); the last job list is drawn. */
async function settle(endpoint: QmpEndpoint): Promise<Read<JobDetails[]>> {
  const settled = await settleJobs(() => queryJobs(endpoint));
  return 'lost' in settled ? { kind: 'lost', stderr: settled.lost.stderr } : { kind: 'ok', value: jobsOf(settled.jobs) };
}

function detailsOf(v: JsonValue | undefined): NodeDetails[] {
  if (!Array.isArray(v)) return [];
  const out: NodeDetails[] = [];
  for (const n of v as readonly JsonValue[]) {
    if (!isObjectValue(n) || typeof n['node-name'] !== 'string') continue;
    const image = n['image'];
    const size = isObjectValue(image) && typeof image['virtual-size'] === 'number' ? image['virtual-size'] : null;
    out.push({ nodeName: n['node-name'], file: typeof n['file'] === 'string' ? n['file'] : null, virtualSize: size });
  }
  return out;
}

/** The graph now, normalized as qmprun.py does, with the labels query-named-block-nodes gives. */
export async function readGraph(endpoint: QmpEndpoint, jobs: readonly JobDetails[]): Promise<Read<StepGraph>> {
  const read = await queryGraph(endpoint);
  switch (read.kind) {
    case 'graph':
      return { kind: 'ok', value: { normalized: read.normalized, raw: read.raw, canonical: nameNodes(read.raw), details: detailsOf(read.named), jobs } };
    case 'lost':
      return { kind: 'lost', stderr: read.lost.stderr };
    case 'bad':
      return read;
  }
}

/** One command and what followed it; `gone` carries a death seen at an earlier step. */
async function runStep(endpoint: QmpEndpoint, index: number, command: QmpCommand): Promise<TraceStep> {
  const r = await endpoint.execute(command);
  if (isPeerLost(r)) {
    const reply = { kind: 'died', stderr: r.lost.stderr, ...(r.lost.kind === 'qemu-hang' ? { hung: r.lost.message } : {}) } as const;
    return { index, command, reply, events: endpoint.drainEvents(), graph: null, graphProblem: null };
  }
  const settled = await settle(endpoint);
  const read: Read<StepGraph> = settled.kind === 'ok' ? await readGraph(endpoint, settled.value) : settled;
  const events = endpoint.drainEvents();
  switch (read.kind) {
    case 'ok':
      return { index, command, reply: { kind: 'reply', reply: r }, events, graph: read.value, graphProblem: null };
    case 'lost':
      return { index, command, reply: { kind: 'replied-then-died', reply: r, stderr: read.stderr }, events, graph: null, graphProblem: null };
    case 'bad':
      return { index, command, reply: { kind: 'reply', reply: r }, events, graph: null, graphProblem: read.message };
  }
}

export interface CollectedSteps {
  readonly initial: StepGraph | null;
  readonly steps: readonly TraceStep[];
}

/** Every command in order; after a death the rest are listed as not sent. */
export async function collectSteps(endpoint: QmpEndpoint, commands: readonly QmpCommand[]): Promise<CollectedSteps> {
  const first = await readGraph(endpoint, []);
  const steps: TraceStep[] = [];
  let dead = first.kind === 'lost';
  for (const [index, command] of commands.entries()) {
    if (dead) {
      steps.push({ index, command, reply: { kind: 'not-sent' }, events: [], graph: null, graphProblem: null });
      continue;
    }
    const step = await runStep(endpoint, index, command);
    dead = stepKilled(step.reply);
    steps.push(step);
  }
  return { initial: first.kind === 'ok' ? first.value : null, steps };
}

export function stepKilled(r: StepReply): boolean {
  switch (r.kind) {
    case 'died':
    case 'replied-then-died':
      return true;
    case 'reply':
    case 'not-sent':
      return false;
  }
}
