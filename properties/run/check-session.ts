// One sequence on the impl (plus an optional second target): execute, snapshot, check; the first problem is a finding.
import { match } from 'ts-pattern';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { Crash } from '../../qmp/crash.ts';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { INVARIANTS } from '../invariants/index.ts';
import type { Invariant, StepFacts, Violation } from '../invariants/index.ts';
import { takeSnapshot } from '../snapshot.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { DISAGREEMENT, IMPL_EXCEPTION, QEMU_ABORT, abortSite, makeFinding } from './finding.ts';
import { blkverifyReadsGarbage } from '../../impl/drivers/blkverify.ts';
import type { Finding } from './finding.ts';
import { implFacts } from '../compare/impl-facts.ts';
import type { ModelState } from '../../model/index.ts';
import { ImplTarget } from './impl-target.ts';
import { ModelTarget } from './model-target.ts';
import { describeOutcome } from './outcome.ts';
import { servedDifference } from './served-difference.ts';
import { isNotModelled } from '../../qmp/observation.ts';
import type { StepOutcome } from './outcome.ts';
import type { StartResult, Target, Variant } from './target.ts';

export interface SessionOptions {
  readonly variant: Variant;
  /** Compute the impl's normalized graph after each step (statistics, comparisons). */
  readonly graphs: boolean;
  /** The impl to run (explore keeps a handle on it to read its state); default: a new one. */
  readonly target?: () => ImplTarget;
  /** A second target whose outcomes and graphs must agree with the impl's. */
  readonly check?: Target;
  readonly invariants?: readonly Invariant[];
  /** Where the time goes (bench): called with a phase name and milliseconds. */
  readonly timer?: PhaseTimer;
}

export type Phase = 'generate' | 'execute' | 'graph' | 'snapshot' | 'invariants' | 'check';
export type PhaseTimer = (phase: Phase, ms: number) => void;

export interface StepReport {
  readonly outcome: StepOutcome;
  readonly graph: NormalizedGraph | null;
  readonly finding: Finding | undefined;
  /** The step differs from the model as a known QEMU 7.2 defect (its signature): not news; the model stops here. */
  readonly explained?: string;
  /** The model does not judge this step (model/README.md): it stops here too. */
  readonly unjudged?: string;
}

export type OpenSession = { readonly ok: true; readonly session: CheckSession } | Extract<StartResult, { ok: false }>;

export class CheckSession {
  private steps = 0;
  /** Set once the model met a known 7.2 defect or a step it does not judge: the rest is checked by invariants only. */
  private modelParted = false;
  private current: GraphSnapshot;
  private readonly wantGraphs: boolean;
  /** Every step's facts so far (history invariants judge a step against them). */
  private readonly history: StepFacts[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly impl: ImplTarget,
    private readonly opts: SessionOptions,
  ) {
    this.current = takeSnapshot(impl.env);
    this.wantGraphs = opts.graphs || opts.check !== undefined;
  }

  static async open(images: readonly ImageSpec[], opts: SessionOptions): Promise<OpenSession> {
    const impl = opts.target?.() ?? new ImplTarget();
    const started = await impl.start(images, opts.variant);
    if (!started.ok) return started;
    if (opts.check) {
      const other = await opts.check.start(images, opts.variant);
      if (!other.ok) return other;
    }
    return { ok: true, session: new CheckSession(impl, opts) };
  }

  get snapshot(): GraphSnapshot {
    return this.current;
  }

  async step(cmd: QmpCommand): Promise<StepReport> {
    const index = this.steps++;
    const before = this.current;
    const t = this.opts.timer;
    let t0 = t ? performance.now() : 0;
    const lap = (phase: Phase): void => {
      if (!t) return;
      const t1 = performance.now();
      t(phase, t1 - t0);
      t0 = t1;
    };
    const outcome = this.impl.execute(cmd);
    lap('execute');
    const graph = this.wantGraphs && outcome.kind !== 'abort' ? this.impl.graph() : null;
    lap('graph');
    const found = (detector: string, message: string, crash?: Crash): StepReport => ({ outcome, graph, finding: makeFinding(detector, index, cmd, message, crash) });
    if (outcome.kind === 'exception') return found(IMPL_EXCEPTION, outcome.message);
    const check = this.opts.check;
    // real QEMU first: a step where it differs is wrong in the impl, whatever the invariants say about it
    if (check && !(check instanceof ModelTarget)) {
      const other = await check.step(cmd);
      // a crash in a job after the reply races the reply in QEMU; the impl defers it to the next command
      const deferred = this.impl.crashAfterReply;
      if (other.outcome.kind === 'abort' && outcome.kind !== 'abort' && deferred !== undefined) return found(QEMU_ABORT, deferred.stderr.trim(), deferred);
      // a blkverify comparing an uninitialised null-co read dies or not as the heap happens to be: QEMU's word counts
      // the same where the impl read bytes it does not model (a qcow2 file's metadata as raw) for an observation
      const unmodelled = outcome.kind === 'ok' && isNotModelled(outcome.value);
      if (other.outcome.kind === 'abort' && abortSite(other.outcome.stderr) === 'blkverify-mismatch' && (blkverifyReadsGarbage(this.impl.env) || unmodelled)) {
        return found(QEMU_ABORT, other.outcome.stderr.trim());
      }
      const why = disagreement(outcome, graph, other.outcome, other.graph, check.name);
      lap('check');
      if (why !== undefined) return found(DISAGREEMENT, why);
    }
    if (outcome.kind === 'abort') return found(QEMU_ABORT, outcome.stderr.trim(), outcome.crash);
    try {
      this.current = takeSnapshot(this.impl.env);
    } catch (e) {
      // a graph too broken to even read is the impl's fault, reported like any other exception
      return found(IMPL_EXCEPTION, `the graph cannot be read after this step: ${e instanceof Error ? e.message : String(e)}`);
    }
    lap('snapshot');
    this.history.push({ before, after: this.current, command: cmd, outcome });
    for (const inv of this.opts.invariants ?? INVARIANTS) {
      const v = this.runInvariant(inv, before, cmd, outcome);
      const first = v[0];
      if (first !== undefined) {
        const more = v.length > 1 ? ` (+${v.length - 1} more)` : '';
        return found(inv.name, first.message + more);
      }
    }
    lap('invariants');
    // the model after the invariants: it states intended behaviour, so it explains what no invariant names
    if (check instanceof ModelTarget && !this.modelParted) {
      const v = check.compare(cmd, { outcome, graph }, implFacts(this.impl));
      lap('check');
      if (v.kind === 'known' || v.kind === 'not-judged') {
        this.modelParted = true;
        return { outcome, graph, finding: undefined, ...(v.kind === 'known' ? { explained: v.defect.signature } : { unjudged: v.why }) };
      }
      if (v.kind === 'disagree') {
        const diff = v.graphDiff.length > 0 ? `; graph (model -> impl): ${v.graphDiff.slice(0, 3).join('; ')}` : '';
        return found(DISAGREEMENT, `${v.why}; ${v.sides.replace('\n', '; ')}${diff}`);
      }
    }
    return { outcome, graph, finding: undefined };
  }

  /**
   * Runs commands another session has judged already (explore resumes a sequence from its judged prefix): the
   * targets execute them unjudged, and judging goes on from there; `modelParted` says whether the model had parted,
   * `model` is the model's state after them when the caller kept it (the model is pure data: no need to replay it).
   */
  async fastForward(commands: readonly QmpCommand[], modelParted: boolean, model?: ModelState): Promise<void> {
    const check = this.opts.check;
    if (check instanceof ModelTarget && !modelParted && model !== undefined) check.restore(model);
    for (const cmd of commands) {
      const outcome = this.impl.execute(cmd);
      if (check instanceof ModelTarget) {
        // the model follows the outcome the impl gave (where it allows several)
        if (!modelParted && model === undefined) check.execute(cmd, outcome);
      } else if (check) await check.step(cmd);
    }
    this.steps += commands.length;
    this.modelParted ||= modelParted;
    this.current = takeSnapshot(this.impl.env);
  }

  /** Closes both targets once; a second call (a run ended while its step was in flight) waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.impl.close();
      await this.opts.check?.close();
    })();
    return this.closing;
  }

  private runInvariant(inv: Invariant, before: GraphSnapshot, cmd: QmpCommand, outcome: StepOutcome): readonly Violation[] {
    try {
      return match(inv)
        .with({ kind: 'state' }, (i) => i.check(this.current))
        .with({ kind: 'step' }, (i) => i.check({ before, after: this.current, command: cmd, outcome }))
        .with({ kind: 'live' }, (i) => i.check(this.impl.env))
        .with({ kind: 'history' }, (i) => i.check(this.history))
        .exhaustive();
    } catch (e) {
      // a throwing check is reported, never a crash of the tool
      return [{ message: `the check threw: ${e instanceof Error ? e.message : String(e)}` }];
    }
  }
}

/** Automatic node names differ between targets (scenario-format.md), so error texts compare without them. */
const autoNames = (desc: string): string => desc.replace(/#block\d+/g, '#block');

function disagreement(a: StepOutcome, ga: NormalizedGraph | null, b: StepOutcome, gb: NormalizedGraph | null, other: string): string | undefined {
  const same =
    a.kind === b.kind &&
    (a.kind !== 'error' || b.kind !== 'error' || (a.code !== null && b.code !== null ? a.code === b.code : autoNames(a.desc) === autoNames(b.desc)));
  if (!same) return `impl: ${describeOutcome(a)}; ${other}: ${describeOutcome(b)}`;
  const served = a.kind === 'ok' && b.kind === 'ok' ? servedDifference(a.value, b.value) : undefined;
  if (served !== undefined) return `what the node serves differs (${other} -> impl): ${served}`;
  if (ga === null || gb === null) return undefined;
  const diff = diffGraphs(gb, ga);
  return diff.length === 0 ? undefined : `graphs differ (${other} -> impl): ${diff.slice(0, 3).join('; ')}`;
}
