// The model as a target: it states what should happen, so it ignores quirks, and it already behaves as the fixes
// for QEMU 7.2 defects it agrees with (MODEL_FIXES). It is compared rather than run: for each command it allows a
// set of outcomes, and it goes on from the states that fit what the other side did.
import type { ImageSpec } from '../../qmp/image-spec.ts';
import { apply, initialState } from '../../model/index.ts';
import type { ModelState } from '../../model/index.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { compareStep } from '../compare/compare-step.ts';
import type { Verdict } from '../compare/compare-step.ts';
import type { ImplFacts } from '../compare/defect-context.ts';
import { modelGraph } from '../compare/judge.ts';
import type { StartResult, Target, TargetStep, Variant } from './target.ts';

/** impl/behaviour.ts fixes whose behaviour the model has: with them on, the impl should agree with the model. */
export const MODEL_FIXES: readonly string[] = ['mirror-prevent-loops', 'reopen-keeps-frozen-filter', 'stream-drops-job-edges'];

export class ModelTarget implements Target {
  readonly name = 'model';
  /** The states the model may be in: one, unless outcomes it allowed looked alike. */
  private states: readonly ModelState[] = [];

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    // quirks are historical bugs and fixes repair 7.2: the model states the intended behaviour either way
    void variant;
    this.states = [initialState(images)];
    return Promise.resolve({ ok: true });
  }

  /** The model's side of a comparison: what it allows for `cmd` against what the other side did (`seen`); on
   * agreement it goes on from the states that fit. */
  compare(cmd: QmpCommand, seen: TargetStep, impl?: ImplFacts): Verdict {
    if (this.states.length === 0) throw new Error('ModelTarget: start() first');
    const v = compareStep(this.states, cmd, seen, impl);
    if (v.kind === 'agree') this.states = v.next;
    return v;
  }

  /** Runs `cmd` on its own, taking the first outcome it allows (a target like any other; comparisons use compare). */
  step(cmd: QmpCommand): Promise<TargetStep> {
    const [s] = this.states;
    if (s === undefined) throw new Error('ModelTarget: start() first');
    const e = apply(s, cmd);
    if (e.kind === 'not-judged') return Promise.resolve({ outcome: { kind: 'exception', message: `not judged: ${e.why}` }, graph: null });
    const [b] = e.branches;
    if (b === undefined) throw new Error('the model allowed nothing');
    this.states = [b.state];
    const outcome = b.outcome.ok ? { kind: 'ok' as const } : { kind: 'error' as const, code: b.outcome.error.code, desc: b.outcome.error.message };
    return Promise.resolve({ outcome, graph: modelGraph(b.state) });
  }

  close(): Promise<void> {
    this.states = [];
    return Promise.resolve();
  }
}
