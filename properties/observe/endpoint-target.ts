// Any QMP endpoint as a target, seen only through QMP: a qemu-storage-daemon of any version, or the impl behind its
// monitor. One step is the command, the job progress it causes (qmprun.py's settling), then the queries the view is
// built from. A daemon that dies or stops answering is a typed outcome, never an exception.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { parseCrash } from '../../qmp/crash.ts';
import { isJsonObject } from '../../qmp/json-value.ts';
import { parseBlockGraph, parseNamedNodes } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import { isObservationName } from '../../qmp/observation.ts';
import { settleJobs } from '../../qmp/stable-jobs.ts';
import { isPeerLost } from '../../qmp/types.ts';
import type { JsonObject, JsonValue, PeerLost, QmpCommand, QmpEndpoint } from '../../qmp/types.ts';
import type { LateDeath, Observation } from '../run/observation.ts';
import { lateDeath } from '../run/observation.ts';
import type { Death, StepOutcome } from '../run/outcome.ts';
import type { StartResult, Target, TargetName, Variant } from '../run/target.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { EMPTY_SNAPSHOT } from '../snapshot.ts';
import { EMPTY_LEDGER, record } from './ledger.ts';
import type { Ledger } from './ledger.ts';
import { IdTable, buildView } from './qmp-view.ts';

export type OpenEndpoint = (images: readonly ImageSpec[], variant: Variant) => Promise<{ readonly ok: true; readonly endpoint: QmpEndpoint } | Extract<StartResult, { ok: false }>>;

export interface EndpointTargetOptions {
  readonly name: TargetName;
  /** `QEMU 10.0.2 (Debian …)`: which build this is. */
  readonly identity?: string;
  readonly open: OpenEndpoint;
  /** The reply deadline the endpoint was opened with (reported in a hang). */
  readonly hangMs: number;
  /** How long jobs get to reach a stable state after a command (qmprun.py: 10 s). */
  readonly settleMs?: number;
}

const list = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? (v as readonly JsonValue[]).filter(isJsonObject) : []);

type Asked =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly error: string }
  | { readonly ok: 'lost'; readonly lost: PeerLost }
  /** The endpoint threw: only an in-process one (the impl) can, and that is a bug in it, never an answer. */
  | { readonly ok: 'threw'; readonly message: string };

export class EndpointTarget implements Target {
  readonly name: TargetName;
  readonly identity: string | undefined;
  private endpoint: QmpEndpoint | undefined;
  private gone: LateDeath | undefined;
  private ledger: Ledger = EMPTY_LEDGER;
  private ids = new IdTable();
  private view: GraphSnapshot = EMPTY_SNAPSHOT;

  constructor(private readonly opts: EndpointTargetOptions) {
    this.name = opts.name;
    this.identity = opts.identity;
  }

  async start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    const opened = await this.opts.open(images, variant);
    if (!opened.ok) return opened;
    this.endpoint = opened.endpoint;
    this.gone = undefined;
    this.ledger = EMPTY_LEDGER;
    this.ids = new IdTable();
    this.view = EMPTY_SNAPSHOT;
    return { ok: true };
  }

  async step(cmd: QmpCommand): Promise<Observation> {
    if (!this.endpoint) throw new Error('EndpointTarget: start() first');
    if (this.gone) return { outcome: this.gone, graph: null, view: null };
    const r = await this.ask(cmd);
    if (r.ok === 'threw') return { outcome: { kind: 'exception', message: r.message }, graph: null, view: null };
    if (r.ok === 'lost') {
      const outcome = this.death(r.lost, cmd.execute, 'command');
      this.gone = lateDeath(outcome, 'after-reply');
      return { outcome, graph: null, view: null };
    }
    // an observation step's answer (qmp/observation.ts) is what the node serves: kept for the comparison
    const outcome: StepOutcome = r.ok ? (isObservationName(cmd.execute) ? { kind: 'ok', value: r.value } : { kind: 'ok' }) : { kind: 'error', code: null, desc: r.error };
    this.ledger = record(this.ledger, cmd, outcome);
    const jobs = await this.settle();
    if (!jobs.ok) return this.diedAfter(outcome, jobs.death);
    return this.observe(outcome, jobs.jobs);
  }

  private async observe(outcome: StepOutcome, jobs: readonly JsonObject[]): Promise<Observation> {
    // asked together (a daemon runs them one after the other, in order): one round trip instead of four
    const answers = await Promise.all(QUERIES.map(async (cmd) => ({ cmd, a: await this.ask(cmd) })));
    const asked: Asked[] = [];
    for (const { cmd, a } of answers) {
      if (a.ok === 'lost') return this.diedAfter(outcome, lateDeath(this.death(a.lost, cmd.execute, 'query'), 'query'));
      if (a.ok === 'threw') return { outcome: { kind: 'exception', message: `the graph cannot be read after this step: ${a.message}` }, graph: null, view: null };
      asked.push(a);
    }
    const [g, named, exports, objects] = asked;
    const raw = g?.ok === true ? parseBlockGraph(g.value) : undefined;
    if (!raw?.ok || !named || !exports || !objects) return { outcome, graph: null, view: null };
    const namedList = named.ok === true ? list(named.value) : { error: named.ok === false ? named.error : '' };
    this.view = buildView(
      { graph: raw.value, named: namedList, jobs, exports: exports.ok === true ? list(exports.value) : undefined, objects: objects.ok === true ? list(objects.value) : undefined },
      this.ledger,
      this.ids,
      this.view,
    );
    const parsedNamed = named.ok === true ? parseNamedNodes(named.value) : undefined;
    const graph = parsedNamed?.ok ? normalizeGraph(raw.value, parsedNamed.value) : null;
    return { outcome, graph, view: this.view };
  }

  private diedAfter(outcome: StepOutcome, d: LateDeath): Observation {
    this.gone = d;
    return { outcome, died: d, graph: null, view: null };
  }

  /** Like qmprun.py: poll query-jobs until every job is in a stable status, or the limit passes (then go on). */
  private async settle(): Promise<{ readonly ok: true; readonly jobs: JsonObject[] } | { readonly ok: false; readonly death: LateDeath }> {
    // asked through this.ask: events drained, and an impl that throws lists no jobs (the queries after it report the throw)
    const settled = await settleJobs(async () => {
      const a = await this.ask({ execute: 'query-jobs' });
      return a.ok === 'lost' ? { lost: a.lost } : { jobs: a.ok === true && Array.isArray(a.value) ? a.value : [] };
    }, { limitMs: this.opts.settleMs });
    if ('lost' in settled) return { ok: false, death: lateDeath(this.death(settled.lost, 'query-jobs', 'after-reply'), 'after-reply') };
    return { ok: true, jobs: list(settled.jobs) };
  }

  private async ask(cmd: QmpCommand): Promise<Asked> {
    if (!this.endpoint) return { ok: false, error: 'not started' };
    let r: Awaited<ReturnType<QmpEndpoint['execute']>>;
    try {
      r = await this.endpoint.execute(cmd);
    } catch (e) {
      return { ok: 'threw', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    // events are not observed; keep them from piling up
    this.endpoint.drainEvents();
    if (isPeerLost(r)) return { ok: 'lost', lost: r.lost };
    return 'error' in r ? { ok: false, error: r.error.desc } : { ok: true, value: r.return };
  }

  private death(lost: PeerLost, asked: string, phase: Death['phase']): Death {
    return lost.kind === 'qemu-hang'
      ? { kind: 'hang', command: asked, ms: this.opts.hangMs, phase }
      : { kind: 'crash', crash: parseCrash(lost.stderr, lost.signal), phase };
  }

  async close(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = undefined;
  }
}

/** What a view is built from, asked after every step (query-jobs comes from settling). */
const QUERIES: readonly QmpCommand[] = [
  { execute: 'x-debug-query-block-graph' },
  { execute: 'query-named-block-nodes', arguments: { flat: true } },
  { execute: 'query-block-exports' },
  { execute: 'qom-list', arguments: { path: '/objects' } },
];
