// The model as a target: it states what should happen, so it ignores quirks, and it already behaves as the fixes
// for QEMU 7.2 defects it agrees with (MODEL_FIXES). It is compared rather than run: for each command it allows a
// set of outcomes, and it goes on from the states that fit what the other side did.
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { afterRead, apply, initialState } from '../../model/index.ts';
import type { Branch, ModelState, Unjudged } from '../../model/index.ts';
import { isObservationName, observationOf } from '../../qmp/observation.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { compareStep } from '../compare/compare-step.ts';
import type { Verdict } from '../compare/compare-step.ts';
import type { ImplFacts } from '../compare/defect-context.ts';
import { modelGraph, sameOutcome } from '../compare/judge.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { judgeServed } from '../compare/served-verdict.ts';
import type { Observation } from './observation.ts';
import { isDeath } from './outcome.ts';
import type { StepOutcome } from './outcome.ts';
import type { StartResult, Target, TargetStep, Variant } from './target.ts';

/** impl/behaviour.ts fixes whose behaviour the model has: with them on, the impl should agree with the model. */
export const MODEL_FIXES: readonly string[] = ['mirror-prevent-loops', 'reopen-keeps-frozen-filter', 'stream-drops-job-edges'];

export class ModelTarget implements Target {
  readonly name = 'model';
  /** The states the model may be in (one, unless outcomes it allowed looked alike); none once it stopped judging. */
  private states: readonly ModelState[] = [];
  private stopped: Unjudged | undefined;
  /** Graphs of states met so far: a refusal's branches keep the state whose graph the last step already drew. */
  private readonly graphs = new WeakMap<ModelState, NormalizedGraph>();
  private readonly graphOf = (s: ModelState): NormalizedGraph => {
    const known = this.graphs.get(s);
    if (known !== undefined) return known;
    const g = modelGraph(s);
    this.graphs.set(s, g);
    return g;
  };

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    // quirks are historical bugs and fixes repair 7.2: the model states the intended behaviour either way
    void variant;
    [this.states, this.stopped] = [[initialState(images)], undefined];
    return Promise.resolve({ ok: true });
  }

  /** Where the model stands (its first state), undefined once it stopped judging. */
  get state(): ModelState | undefined {
    return this.stopped === undefined ? this.states[0] : undefined;
  }

  /** Stands at `state` (one this or another model target reached: states are never changed in place). */
  restore(state: ModelState): void {
    [this.states, this.stopped] = [[state], undefined];
  }

  /** The model's side of a comparison: what it allows for `cmd` against what the other side did (`seen`); on
   * agreement it goes on from the states that fit. */
  compare(cmd: QmpCommand, seen: TargetStep, impl?: ImplFacts): Verdict {
    if (this.stopped !== undefined) return { kind: 'not-judged', why: this.stopped };
    if (this.states.length === 0) throw new Error('ModelTarget: start() first');
    // an observation changes nothing in the graph: its answer is judged against what the model states it serves
    if (isObservationName(cmd.execute) && !isDeath(seen.outcome) && impl?.crashAfterReply === undefined) return this.observe(cmd, seen, impl);
    // whether a read dies (a blkverify comparing its children) depends on the bytes read, which the model does not follow
    if (isObservationName(cmd.execute)) return { kind: 'not-judged', why: (this.stopped = 'image-data') };
    const v = compareStep(this.states, cmd, seen, impl, this.graphOf);
    if (v.kind === 'agree') this.states = v.next;
    if (v.kind === 'not-judged') this.stopped = v.why;
    return v;
  }

  /** An observation's answer against every state the model may be in: agreeing with one is enough. */
  private observe(cmd: QmpCommand, seen: TargetStep, impl?: ImplFacts): Verdict {
    const vs = this.states.map((s) => judgeServed(s, cmd, seen.outcome, impl?.checksums));
    const v = vs.find((x) => x.kind === 'agree') ?? vs.find((x) => x.kind === 'not-judged') ?? vs[0]!;
    if (v.kind === 'disagree') return { kind: 'disagree', why: v.why, sides: v.sides, graphDiff: [], key: v.key };
    const o = observationOf(cmd);
    if (o) this.states = this.states.map((s) => afterRead(s, o));
    return { kind: 'agree', next: this.states, observation: v.kind === 'agree' ? { judged: true } : { judged: false, why: v.why } };
  }

  /** Runs `cmd` unjudged, going on from the first outcome it allows that fits `seen` (if given): a prefix another
   * session judged already. A step it does not judge stops it. */
  execute(cmd: QmpCommand, seen?: StepOutcome): StepOutcome {
    const o = this.stopped === undefined ? observationOf(cmd) : undefined;
    if (o) this.states = this.states.map((s) => afterRead(s, o));
    if (this.stopped === undefined && isObservationName(cmd.execute)) return { kind: 'ok' };
    const b = this.branch(cmd, seen);
    return b === undefined ? { kind: 'exception', message: `the model does not judge this: ${this.stopped ?? ''}` } : outcomeOf(b);
  }

  /** Runs `cmd` on its own, taking the first outcome it allows (a target like any other; comparisons use compare).
   * The model states intent: it shows no view for the invariants to judge. */
  step(cmd: QmpCommand): Promise<Observation> {
    // an observation step (qmp/observation.ts) changes nothing: the model stands where it stood
    const [s] = this.stopped === undefined && isObservationName(cmd.execute) ? this.states : [];
    if (s !== undefined) return Promise.resolve({ outcome: { kind: 'ok' }, graph: modelGraph(s), view: null });
    const b = this.branch(cmd);
    return Promise.resolve(b === undefined ? { outcome: this.execute(cmd), graph: null, view: null } : { outcome: outcomeOf(b), graph: modelGraph(b.state), view: null });
  }

  close(): Promise<void> {
    this.states = [];
    return Promise.resolve();
  }

  private branch(cmd: QmpCommand, seen?: StepOutcome): Branch | undefined {
    const [s] = this.stopped === undefined ? this.states : [];
    const e = s === undefined ? undefined : apply(s, cmd);
    if (e?.kind === 'not-judged') this.stopped = e.why;
    const b = e?.kind === 'judged' ? (e.branches.find((x) => seen === undefined || sameOutcome(x, seen)) ?? e.branches[0]) : undefined;
    if (b !== undefined) this.states = [b.state];
    return b;
  }
}

const outcomeOf = (b: Branch): StepOutcome => (b.outcome.ok ? { kind: 'ok' } : { kind: 'error', code: b.outcome.error.code, desc: b.outcome.error.message });
