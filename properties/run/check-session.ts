// One sequence on the system under test (the impl by default, or a QEMU build), plus an optional second target:
// step, observe, judge; the first problem is a finding. The session speaks only the Target interface.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { Sha256Memo } from '../../qmp/runs-sha256.ts';
import { OBSERVED } from '../invariants/index.ts';
import type { Invariant, StepFacts } from '../invariants/index.ts';
import { firstViolation } from '../invariants/judge.ts';
import { classifyBreach } from '../compare/known-defects.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { EMPTY_SNAPSHOT } from '../snapshot.ts';
import { sameSnapshot } from '../snapshot-diff.ts';
import { DISAGREEMENT, IMPL_EXCEPTION, crashFinding, deathFinding, makeFinding } from './finding.ts';
import type { Finding } from './finding.ts';
import type { ModelState } from '../../model/index.ts';
import { ImplTarget } from './impl-target.ts';
import { ModelTarget } from './model-target.ts';
import { lockstep } from './lockstep.ts';
import type { Observation } from './observation.ts';
import { isDeath } from './outcome.ts';
import type { StepOutcome } from './outcome.ts';
import type { StartResult, Target, Variant } from './target.ts';

export interface SessionOptions {
  readonly variant: Variant;
  /** Compute the impl's normalized graph after each step (statistics, comparisons). */
  readonly graphs: boolean;
  /** The system under test (default: a new impl, with its own checks; explore passes one to read its state). */
  readonly target?: () => Target;
  /**
   * A second target. A build (or the impl) must show what the system under test shows, step by step; the model
   * states intent, so it goes to the target's own diagnostics after the invariants.
   */
  readonly check?: Target;
  /** The invariants judged on what the target shows (default: every observed one). */
  readonly invariants?: readonly Invariant[];
  /** Where the time goes (bench): called with a phase name and milliseconds. */
  readonly timer?: PhaseTimer;
  /** Checksums by content for the impl the session makes, kept across a campaign's sessions. */
  readonly checksums?: Sha256Memo;
}

export type Phase = 'generate' | 'execute' | 'graph' | 'snapshot' | 'invariants' | 'check';
export type PhaseTimer = (phase: Phase, ms: number) => void;

export interface StepReport {
  readonly outcome: StepOutcome;
  readonly graph: Observation['graph'];
  readonly finding: Finding | undefined;
  /** The step differs from the model as a known QEMU 7.2 defect (its signature): not news; the model stops here. */
  readonly explained?: string;
  /** The model does not judge this step (model/README.md): it stops here too. */
  readonly unjudged?: string;
}

export type OpenSession = { readonly ok: true; readonly session: CheckSession } | Extract<StartResult, { ok: false }>;

export class CheckSession {
  private steps = 0;
  private current: GraphSnapshot = EMPTY_SNAPSHOT;
  private last: { readonly obs: Observation; readonly cmd: QmpCommand; readonly step: number } | undefined;
  private ended = false;
  /** Every judged step's facts so far (history invariants judge a step against them). */
  private readonly history: StepFacts[] = [];
  private closing: Promise<void> | undefined;
  /** The last view every invariant held on: a step that leaves the same graph need not run the state checks again. */
  private held: GraphSnapshot | undefined;

  private constructor(
    private readonly sut: Target,
    private readonly opts: SessionOptions,
  ) {}

  static async open(images: readonly ImageSpec[], opts: SessionOptions): Promise<OpenSession> {
    const graphs = opts.graphs || opts.check !== undefined;
    const sut = opts.target?.() ?? new ImplTarget({ graphs, ...(opts.timer ? { timer: opts.timer } : {}), ...(opts.checksums ? { checksums: opts.checksums } : {}) });
    const started = await sut.start(images, opts.variant);
    if (!started.ok) return started;
    if (opts.check) {
      const other = await opts.check.start(images, opts.variant);
      if (!other.ok) {
        await sut.close();
        return other;
      }
    }
    return { ok: true, session: new CheckSession(sut, opts) };
  }

  /** What the system under test showed last: the state generators draw the next command from. */
  get snapshot(): GraphSnapshot {
    return this.current;
  }

  async step(cmd: QmpCommand): Promise<StepReport> {
    const index = this.steps++;
    const before = this.current;
    const lap = this.stopwatch();
    const obs = await this.sut.step(cmd);
    // the impl the session made times its own phases (execute, graph, snapshot); any other target is one phase
    lap(this.opts.target ? 'execute' : undefined);
    this.last = { obs, cmd, step: index };
    const { outcome, graph } = obs;
    const found = (finding: Finding): StepReport => {
      this.ended = true;
      return { outcome, graph, finding };
    };
    if (outcome.kind === 'exception') return found(makeFinding(IMPL_EXCEPTION, index, cmd, outcome.message));
    const check = this.opts.check;
    // a build beside the impl first: a step where it differs is wrong in the impl, whatever the invariants say
    if (check && check.name !== 'model') {
      const v = lockstep(obs, await check.step(cmd), check.name, this.sut.name);
      lap('check');
      if (v.kind === 'crash') return found(crashFinding(index, cmd, v.crash));
      if (v.kind === 'disagree') return found(makeFinding(DISAGREEMENT, index, cmd, v.why, v.what));
    }
    if (isDeath(outcome)) return found(deathFinding(index, cmd, outcome));
    const after = obs.view;
    // compared once here: the failed-command rule, the state checks and the impl's own checks all ask
    const same = after !== null && sameSnapshot(before, after);
    const statesHeld = same && this.held === before;
    if (after !== null) {
      this.current = after;
      this.history.push({ before, after, command: cmd, outcome, same });
      const v = firstViolation(this.opts.invariants ?? OBSERVED, { before, after, command: cmd, outcome, history: this.history, same }, statesHeld);
      if (!v) this.held = after;
      lap('invariants');
      if (v) {
        const known = classifyBreach(v.name, { before, after });
        return found({ ...makeFinding(v.name, index, cmd, v.message, v.key), ...(known !== undefined ? { known } : {}) });
      }
    }
    // it died showing its graph: what it showed (if anything) broke no invariant, so the death is the finding
    if (obs.died?.phase === 'query') return found(deathFinding(index, cmd, obs.died));
    const d = this.sut.diagnose?.({ command: cmd, observation: obs, intent: check?.name === 'model' ? check : undefined, statesHeld }) ?? { kind: 'clean' };
    lap('check');
    switch (d.kind) {
      case 'clean':
        return { outcome, graph, finding: undefined };
      case 'explained':
        return { outcome, graph, finding: undefined, explained: d.signature };
      case 'unjudged':
        return { outcome, graph, finding: undefined, unjudged: d.why };
      case 'finding':
        return found(makeFinding(d.detector, index, cmd, d.message, d.what));
    }
  }

  /**
   * After the last command: a target that replied and then died (a job's background work) has not been asked
   * anything since, so its death is reported here, at the step that caused it. Beside a build, the next command
   * would have compared both deaths; at the end there is none, so nothing is claimed.
   */
  end(): Finding | undefined {
    const l = this.last;
    if (this.ended || !l || l.obs.died?.phase !== 'after-reply' || (this.opts.check && this.opts.check.name !== 'model')) return undefined;
    this.ended = true;
    return deathFinding(l.step, l.cmd, l.obs.died);
  }

  /**
   * Runs commands another session has judged already (explore resumes a sequence from its judged prefix): the
   * targets execute them unjudged, and judging goes on from there; `modelParted` says whether the model had parted,
   * `model` is the model's state after them when the caller kept it (the model is pure data: no need to replay it).
   */
  async fastForward(commands: readonly QmpCommand[], modelParted: boolean, model?: ModelState): Promise<void> {
    const check = this.opts.check;
    if (check instanceof ModelTarget && !modelParted && model !== undefined) check.restore(model);
    const sut = this.sut;
    // the impl runs them all at once (no observation); any other target is asked step by step
    const ran = sut instanceof ImplTarget ? sut.fastForward(commands, modelParted) : undefined;
    if (ran) this.current = ran.view;
    for (const [i, cmd] of commands.entries()) {
      let outcome = ran?.outcomes[i];
      if (outcome === undefined) {
        const obs = await sut.step(cmd);
        this.current = obs.view ?? this.current;
        outcome = obs.outcome;
      }
      if (check instanceof ModelTarget) {
        // the model follows the outcome the system under test gave (where it allows several)
        if (!modelParted && model === undefined) check.execute(cmd, outcome);
      } else if (check) await check.step(cmd);
    }
    this.steps += commands.length;
  }

  /** Closes both targets once; a second call (a run ended while its step was in flight) waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.sut.close();
      await this.opts.check?.close();
    })();
    return this.closing;
  }

  /** Laps since the last lap; an undefined phase restarts the clock without reporting. */
  private stopwatch(): (phase: Phase | undefined) => void {
    const t = this.opts.timer;
    if (!t) return () => undefined;
    let t0 = performance.now();
    return (phase) => {
      const t1 = performance.now();
      if (phase !== undefined) t(phase, t1 - t0);
      t0 = t1;
    };
  }
}
