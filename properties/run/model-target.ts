// The model as a target: it states what should happen, so it ignores quirks, and it already behaves as the fixes
// for QEMU 7.2 defects it agrees with (MODEL_FIXES). Graphs are built in QEMU's reply shapes and normalized like
// every other target's.
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { apply, blockGraph, initialState, namedNodes } from '../../model/index.ts';
import type { ModelState, Qemu72Defect } from '../../model/index.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from './outcome.ts';
import type { StartResult, Target, TargetStep, Variant } from './target.ts';

/** impl/behaviour.ts fixes whose behaviour the model has: with them on, the impl should agree with the model. */
export const MODEL_FIXES: readonly string[] = ['mirror-prevent-loops', 'reopen-keeps-frozen-filter', 'stream-drops-job-edges'];

export class ModelTarget implements Target {
  readonly name = 'model';
  private current: ModelState | undefined;

  start(images: readonly ImageSpec[], variant: Variant): Promise<StartResult> {
    // quirks are historical bugs and fixes repair 7.2: the model states the intended behaviour either way
    void variant;
    this.current = initialState(images);
    return Promise.resolve({ ok: true });
  }

  get state(): ModelState {
    if (!this.current) throw new Error('ModelTarget: start() first');
    return this.current;
  }

  /** Stands at `state` (a state this or another model target reached: states are never changed in place). */
  restore(state: ModelState): void {
    this.current = state;
  }

  step(cmd: QmpCommand): Promise<TargetStep> {
    const outcome = this.execute(cmd);
    return Promise.resolve({ outcome, graph: outcome.kind === 'exception' ? null : this.graph() });
  }

  execute(cmd: QmpCommand): StepOutcome {
    try {
      const { state, result } = apply(this.state, cmd);
      this.current = state;
      return result.ok ? { kind: 'ok' } : { kind: 'error', code: result.error.code, desc: result.error.message };
    } catch (e) {
      return { kind: 'exception', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }

  graph(): NormalizedGraph {
    return ModelTarget.normalized(this.state);
  }

  /** What `cmd` on `from` gives with QEMU 7.2 defects reproduced; nothing is kept (classifying differences). */
  static whatIf72(from: ModelState, cmd: QmpCommand, defects: readonly Qemu72Defect[]): TargetStep {
    try {
      const { state, result } = apply(from, cmd, defects);
      const outcome: StepOutcome = result.ok ? { kind: 'ok' } : { kind: 'error', code: result.error.code, desc: result.error.message };
      return { outcome, graph: ModelTarget.normalized(state) };
    } catch (e) {
      return { outcome: { kind: 'exception', message: String(e) }, graph: null };
    }
  }

  /** The graph the model would show after `edit` (classifying a difference by what would explain it). */
  graphIf(edit: (s: ModelState) => ModelState): NormalizedGraph {
    return ModelTarget.normalized(edit(this.state));
  }

  private static normalized(s: ModelState): NormalizedGraph {
    return normalizeGraph(blockGraph(s), namedNodes(s));
  }

  close(): Promise<void> {
    this.current = undefined;
    return Promise.resolve();
  }
}
