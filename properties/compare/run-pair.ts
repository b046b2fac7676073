// The impl and the model side by side: each command runs on both and the step is compared at once.
import fc from 'fast-check';
import { nodeLength } from '../../impl/core/length.ts';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { permSetOf } from '../../model/perm-set.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { JsonObject, QmpCommand } from '../../qmp/types.ts';
import { imagesArb } from '../generate/images.ts';
import { nextCommandArb } from '../generate/next-command.ts';
import { swarmArb } from '../generate/swarm.ts';
import { edgePermsMatchDriverRules } from '../invariants/edge-perms-match-driver-rules.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { Variant } from '../run/target.ts';
import { takeSnapshot } from '../snapshot.ts';
import { compareStep, describeSides } from './compare-step.ts';
import type { Verdict } from './compare-step.ts';
import type { StepContext } from './known-defects.ts';
import { formatReport } from './report.ts';

export type PairResult =
  | { readonly kind: 'clean'; readonly steps: number }
  | { readonly kind: 'known'; readonly steps: number; readonly signature: string; readonly execute: string }
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

  /** Runs one command on both; a difference ends the pair's usefulness (their states part). */
  step(cmd: QmpCommand): { readonly verdict: Verdict; readonly result: PairResult } {
    this.commands.push(cmd);
    const steps = this.commands.length;
    const before = this.model.state;
    const implOutcome = this.impl.execute(cmd);
    const modelOutcome = this.model.execute(cmd);
    const c: StepContext = {
      cmd,
      impl: { outcome: implOutcome, graph: implOutcome.kind === 'abort' ? null : this.impl.graph() },
      model: { outcome: modelOutcome, graph: modelOutcome.kind === 'exception' ? null : this.model.graph() },
      implStreamHoldsEdges: [...this.impl.env.jobs.values()].some((j) => j.type === 'stream' && j.status === 'concluded' && j.parent.edges.length > 0),
      modelAs72: () => ModelTarget.whatIf72(before, cmd, ['force-share-never-restates']),
      modelIfStreamLeaked: cmd.execute === 'block-stream' && modelOutcome.kind === 'error' ? this.leaked(cmd) : null,
      implStaleEdges: () => {
        const inv = edgePermsMatchDriverRules;
        return inv.kind === 'state' ? inv.check(takeSnapshot(this.impl.env)).map((v) => v.message) : [];
      },
      implOrphans: () => [...this.impl.env.graph.nodes.values()].filter((n) => n.parents.length === 0 && !n.monitorOwned && !n.closed).map((n) => n.name),
      storedLengthsDiffer: () =>
        [...this.impl.env.graph.nodes.values()].some((n) => {
          const m = this.model.state.nodes.find((x) => x.name === n.name);
          return m !== undefined && ((n.driver.name === 'quorum' && nodeLength(n) !== m.size) || (n.driver.name === 'blkdebug' && n.size !== m.size));
        }),
    };
    const verdict = compareStep(c);
    if (verdict.kind === 'known') return { verdict, result: { kind: 'known', steps, signature: verdict.defect.signature, execute: cmd.execute } };
    if (verdict.kind === 'disagree') {
      const report = formatReport({ step: steps - 1, cmd, sides: describeSides(c), why: verdict.why, graphDiff: verdict.graphDiff, images: this.images, commands: this.commands, variant: this.variant });
      return { verdict, result: { kind: 'disagree', steps, report, signature: `${cmd.execute}: ${verdict.why}` } };
    }
    return { verdict, result: { kind: 'clean', steps } };
  }

  /** 7.2 leaves the failed stream's BlockBackend [R/RWU] on the device (job-stream-15): the model's graph had it stayed. */
  private leaked(cmd: QmpCommand): NormalizedGraph | null {
    const args = typeof cmd.arguments === 'object' && cmd.arguments !== null && !Array.isArray(cmd.arguments) ? (cmd.arguments as JsonObject) : {};
    const device = args['device'];
    if (typeof device !== 'string' || !this.model.state.nodes.some((n) => n.name === device)) return null;
    const bb = { id: -1, child: device, perm: permSetOf('consistent-read'), shared: permSetOf('consistent-read', 'write', 'write-unchanged') };
    return this.model.graphIf((s) => ({ ...s, bbs: [bb, ...s.bbs] }));
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
    const cmd = g(() => arb).command;
    const { result } = pair.step(cmd);
    // an impl abort always differs from the model, which never aborts, so it ends the sequence here too
    if (result.kind !== 'clean') return result;
  }
  return { kind: 'clean', steps: length };
}

/** A fixed scenario, up to its first difference. */
export async function replayPair(images: readonly ImageSpec[], commands: readonly QmpCommand[], variant: Variant): Promise<PairResult> {
  const pair = await Pair.start(images, variant);
  for (const cmd of commands) {
    const { result } = pair.step(cmd);
    if (result.kind !== 'clean') return result;
  }
  return { kind: 'clean', steps: commands.length };
}
