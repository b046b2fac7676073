// The impl as a target, in-process: commands go straight to BlockLayer. Its view is its own graph (takeSnapshot);
// the impl's stderr becomes a typed crash here, at the boundary (qmp/crash.ts), and nowhere else.
import { FIXES, QUIRKS, parseBehaviour } from '../../impl/behaviour.ts';
import { BlockLayer } from '../../impl/block-layer.ts';
import type { BlockEnv } from '../../impl/core/block-env.ts';
import { blkverifyReadsGarbage } from '../../impl/drivers/blkverify.ts';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import type { Crash } from '../../qmp/crash.ts';
import { Sha256Memo } from '../../qmp/runs-sha256.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { IMPL_ONLY } from '../invariants/index.ts';
import type { Invariant } from '../invariants/index.ts';
import { takeSnapshot } from '../snapshot.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { implDiagnosis } from './impl-diagnose.ts';
import type { LateDeath, Observation } from './observation.ts';
import type { PhaseTimer } from './check-session.ts';
import type { StepOutcome } from './outcome.ts';
import { isNotModelled, isObservationName } from '../../qmp/observation.ts';
import type { DiagnoseInput, Diagnosis, StartResult, Target, Variant } from './target.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** Quirks and fixes BlockLayer understands (impl/behaviour.ts). */
export const IMPL_QUIRKS: readonly string[] = QUIRKS;
export const IMPL_FIXES: readonly string[] = FIXES;

export interface ImplTargetOptions {
  /** Compute the normalized graph after each step (statistics, comparisons). */
  readonly graphs?: boolean;
  /** The impl's own checks on its insides (default: every IMPL_ONLY invariant). */
  readonly checks?: readonly Invariant[];
  /** Where the time of a step goes (bench). */
  readonly timer?: PhaseTimer;
  /** Checksums by content, kept across the targets of a campaign (default: this target's own). */
  readonly checksums?: Sha256Memo;
}

export class ImplTarget implements Target {
  readonly name = 'impl';
  private layer: BlockLayer | undefined;
  private gone: LateDeath | undefined;
  /** QEMU 7.2 dies right after the last command's reply (a job's background work). */
  private dying: Crash | undefined;
  /** The view before the current step (the impl's own step checks compare it). */
  private previous: Observation['view'] = null;
  /** Set once the model met a known 7.2 defect: their states differ, so it is no longer asked. */
  modelParted = false;
  /** The impl's checksum hashes, which the model's side of a comparison reuses for the same bytes. */
  readonly checksums: Sha256Memo;

  constructor(private readonly opts: ImplTargetOptions = {}) {
    this.checksums = opts.checksums ?? new Sha256Memo();
  }

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    const behaviour = parseBehaviour(variant.quirks, variant.fixes);
    if (!behaviour.ok) return Promise.resolve({ ok: false, error: { code: 'unsupported-variant', message: `the impl has no ${behaviour.message}` } });
    this.layer = new BlockLayer(MemoryImageStore.fromSpecs(images), behaviour.value, this.checksums);
    this.gone = undefined;
    this.dying = undefined;
    this.modelParted = false;
    this.previous = takeSnapshot(this.layer.env);
    return Promise.resolve({ ok: true });
  }

  /** QEMU dies right after the last command's reply (a job's background work): the next command finds it dead. */
  get crashAfterReply(): Crash | undefined {
    return this.dying;
  }

  get env(): BlockEnv {
    if (!this.layer) throw new Error('ImplTarget: start() first');
    return this.layer.env;
  }

  step(cmd: QmpCommand): Promise<Observation> {
    return Promise.resolve(this.observe(cmd));
  }

  private observe(cmd: QmpCommand): Observation {
    if (this.gone) return { outcome: this.gone, graph: null, view: null };
    const t = this.opts.timer;
    let t0 = t ? performance.now() : 0;
    const lap = (phase: 'execute' | 'graph' | 'snapshot'): void => {
      if (!t) return;
      const t1 = performance.now();
      t(phase, t1 - t0);
      t0 = t1;
    };
    const outcome = this.execute(cmd);
    lap('execute');
    if (outcome.kind === 'crash' || outcome.kind === 'exception' || outcome.kind === 'hang') {
      if (outcome.kind === 'crash' || outcome.kind === 'hang') this.gone = { ...outcome, phase: 'after-reply' };
      return { outcome, graph: null, view: null };
    }
    // a job's background work killed 7.2 after the reply: the next command finds it dead
    if (this.dying !== undefined) this.gone = { kind: 'crash', crash: this.dying, phase: 'after-reply' };
    const g = this.opts.graphs === true ? this.graphOrDeath() : { graph: null };
    lap('graph');
    let view: Observation['view'];
    try {
      view = takeSnapshot(this.env);
      lap('snapshot');
    } catch (e) {
      // a graph too broken to even read is the impl's fault, reported like any other exception
      return { outcome: { kind: 'exception', message: `the graph cannot be read after this step: ${e instanceof Error ? e.message : String(e)}` }, graph: null, view: null };
    }
    const died = this.gone ?? g.died;
    return {
      outcome,
      graph: g.graph,
      view,
      ...(died ? { died } : {}),
      ...(readsGarbage(this.env, outcome) ? { undetermined: 'blkverify-reads-garbage' as const } : {}),
    };
  }

  /**
   * Runs commands already judged elsewhere (explore resumes a sequence from its prefix): executed, not observed;
   * `parted` says whether the model had parted on the way. Their outcomes, for a model that follows them.
   */
  fastForward(commands: readonly QmpCommand[], parted: boolean): { readonly view: GraphSnapshot; readonly outcomes: readonly StepOutcome[] } {
    const outcomes = commands.map((cmd) => {
      const o = this.execute(cmd);
      if (o.kind === 'crash') this.gone = { ...o, phase: 'after-reply' };
      else if (this.dying !== undefined) this.gone = { kind: 'crash', crash: this.dying, phase: 'after-reply' };
      return o;
    });
    this.modelParted ||= parted;
    const view = takeSnapshot(this.env);
    this.previous = view;
    return { view, outcomes };
  }

  /** One command; the monitor's own refusal of non-object arguments is kept. */
  execute(cmd: QmpCommand): StepOutcome {
    if (!this.layer) throw new Error('ImplTarget: start() first');
    const args = cmd.arguments ?? {};
    if (!isObjectValue(args)) return { kind: 'error', code: 'invalid-param', desc: "QMP input member 'arguments' must be an object" };
    try {
      const o = this.layer.execute(cmd.execute, args);
      if (o.kind === 'qemu-abort') return { kind: 'crash', crash: o.crash, phase: 'command' };
      // the impl knows at once where 7.2 loops for good; nothing was waited for
      if (o.kind === 'qemu-hang') return { kind: 'hang', command: cmd.execute, ms: 0, phase: 'command', why: o.where };
      this.dying = o.crashAfterReply;
      if (!o.result.ok) return { kind: 'error', code: o.result.error.code, desc: o.result.error.message };
      return isObservationName(cmd.execute) ? { kind: 'ok', value: o.result.value } : { kind: 'ok' };
    } catch (e) {
      return { kind: 'exception', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }

  /** The normalized graph; null if the impl cannot even answer the queries (a finding elsewhere). */
  graph(): NormalizedGraph | null {
    return this.graphOrDeath().graph;
  }

  /** The normalized graph; a query 7.2 dies answering (a concluded stream's freed filter) is a death in the query. */
  private graphOrDeath(): { readonly graph: NormalizedGraph | null; readonly died?: LateDeath } {
    if (!this.layer || this.gone) return { graph: null };
    try {
      const a = this.layer.graph();
      if (a.kind === 'qemu-abort') return { graph: null, died: { kind: 'crash', crash: a.crash, phase: 'query' } };
      if (a.kind === 'qemu-hang') return { graph: null, died: { kind: 'hang', command: 'query-named-block-nodes', ms: 0, phase: 'query', why: a.where } };
      return { graph: a.kind === 'graph' ? a.graph : null };
    } catch {
      return { graph: null };
    }
  }

  diagnose(input: DiagnoseInput): Diagnosis {
    const before = this.previous;
    this.previous = input.observation.view;
    return implDiagnosis(this, input, before, this.opts.checks ?? IMPL_ONLY, this.opts.graphs === true, input.statesHeld === true);
  }

  close(): Promise<void> {
    this.layer = undefined;
    return Promise.resolve();
  }
}

/**
 * Whether a blkverify here may compare bytes nobody chose: an uninitialised null-co read, or, for an observation,
 * bytes the impl does not model (a qcow2 file's metadata read as raw), where QEMU's word counts the same.
 */
function readsGarbage(env: BlockEnv, outcome: StepOutcome): boolean {
  return blkverifyReadsGarbage(env) || (outcome.kind === 'ok' && isNotModelled(outcome.value));
}
