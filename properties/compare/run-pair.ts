// The impl and the model side by side: each command runs on the impl and is compared with the model at once.
import fc from 'fast-check';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { imagesArb } from '../generate/images.ts';
import { nextCommandArb } from '../generate/next-command.ts';
import { swarmArb } from '../generate/swarm.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { Variant } from '../run/target.ts';
import { takeSnapshot } from '../snapshot.ts';
import type { Verdict } from './compare-step.ts';
import { implFacts } from './impl-facts.ts';
import { formatReport } from './report.ts';

export type PairResult =
  | { readonly kind: 'clean'; readonly steps: number }
  | { readonly kind: 'not-judged'; readonly steps: number; readonly why: string }
  | { readonly kind: 'known'; readonly steps: number; readonly signature: string; readonly signatures: readonly string[]; readonly execute: string }
  | { readonly kind: 'disagree'; readonly steps: number; readonly report: string; readonly signature: string };

export class Pair {
  readonly commands: QmpCommand[] = [];
  private constructor(
    readonly impl: ImplTarget,
    readonly model: ModelTarget,
    readonly images: readonly ImageSpec[],
    readonly variant: Variant,
  ) {}

  static async start(images: readonly ImageSpec[], variant: Variant): Promise<Pair> {
    const impl = new ImplTarget({ graphs: true });
    const started = await impl.start(images, variant);
    if (!started.ok) throw new Error(started.error.message);
    const model = new ModelTarget();
    await model.start(images, variant);
    return new Pair(impl, model, images, variant);
  }

  /** Runs one command on both; anything but agreement ends the pair's usefulness (their states part). */
  step(cmd: QmpCommand): { readonly verdict: Verdict; readonly result: PairResult } {
    this.commands.push(cmd);
    const steps = this.commands.length;
    const outcome = this.impl.execute(cmd);
    const seen = { outcome, graph: outcome.kind === 'crash' ? null : this.impl.graph() };
    const verdict = this.model.compare(cmd, seen, implFacts(this.impl));
    switch (verdict.kind) {
      case 'agree':
        return { verdict, result: { kind: 'clean', steps } };
      case 'not-judged':
        return { verdict, result: { kind: 'not-judged', steps, why: verdict.why } };
      case 'known':
        return { verdict, result: { kind: 'known', steps, signature: verdict.defect.signature, signatures: verdict.defects.map((k) => k.signature), execute: cmd.execute } };
      case 'disagree': {
        const report = formatReport({ step: steps - 1, cmd, sides: verdict.sides, why: verdict.why, graphDiff: verdict.graphDiff, images: this.images, commands: this.commands, variant: this.variant });
        return { verdict, result: { kind: 'disagree', steps, report, signature: `${cmd.execute}: ${verdict.why}` } };
      }
    }
  }
}

/** A sequence's images, enabled command kinds and length, then one command at a time from the impl's graph. */
export async function runPair(g: fc.GeneratorValue, maxSteps: number, variant: Variant): Promise<PairResult> {
  const images: readonly ImageSpec[] = g(() => imagesArb);
  const enabled = g(() => swarmArb());
  const length = g(() => fc.integer({ min: 1, max: maxSteps }));
  const pair = await Pair.start(images, variant);
  for (let i = 0; i < length; i++) {
    const arb = nextCommandArb(enabled, { snapshot: takeSnapshot(pair.impl.env), images });
    if (!arb) return { kind: 'clean', steps: i };
    const { result } = pair.step(g(() => arb).command);
    // an impl abort always differs from the model, which never aborts, so it ends the sequence here too
    if (result.kind !== 'clean') return result;
  }
  return { kind: 'clean', steps: length };
}

/** A fixed scenario, up to its first step that is not plain agreement. */
export async function replayPair(images: readonly ImageSpec[], commands: readonly QmpCommand[], variant: Variant): Promise<PairResult> {
  const pair = await Pair.start(images, variant);
  for (const cmd of commands) {
    const { result } = pair.step(cmd);
    if (result.kind !== 'clean') return result;
  }
  return { kind: 'clean', steps: commands.length };
}
