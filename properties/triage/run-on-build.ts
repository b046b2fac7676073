// One fixture's commands on one target, alone, up to a step: the first finding the target's own observation gives
// (crash, hang, observed invariant), and where it first parts from the model when the model is its oracle.
import type { Scenario } from '../../qmp/scenario.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { Verdict } from '../compare/compare-step.ts';
import type { Invariant } from '../invariants/index.ts';
import { CheckSession } from '../run/check-session.ts';
import type { Finding } from '../run/finding.ts';
import { ModelTarget } from '../run/model-target.ts';
import { describeOutcome, isDeath } from '../run/outcome.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { Target, TargetStep, Variant } from '../run/target.ts';
import type { Witness } from './witnesses.ts';

export type BuildRun =
  | { readonly kind: 'finding'; readonly finding: Finding }
  /** The target and the model first differ here, before the finding's step (oracle mode). */
  | { readonly kind: 'apart'; readonly step: number; readonly why: string }
  /** At the finding's step (oracle mode): which side the target shows what the impl (7.2) or the model shows. */
  | { readonly kind: 'sides'; readonly step: number; readonly likeImpl: boolean; readonly likeModel: boolean; readonly detail: string; readonly unjudged?: string }
  /** `last`: what the last step answered. */
  | { readonly kind: 'clean'; readonly through: number; readonly last: string }
  | { readonly kind: 'cannot-run'; readonly message: string };

export interface RunSpec {
  readonly scenario: Scenario;
  /** Run commands 0..upto. */
  readonly upto: number;
  readonly target: () => Target;
  readonly variant: Variant;
  readonly invariants: readonly Invariant[];
  /** Compare every step with the model; at the last, with the impl under `variant` too (a finding against the model). */
  readonly sides?: { readonly impl: () => Target; readonly variant: Variant };
  /** After `upto`, the commands that make an impl-only prediction observable. */
  readonly witness?: Witness;
}

const kindOf = (o: StepOutcome): string => (isDeath(o) ? 'death' : o.kind);
const autoNames = (desc: string): string => desc.replace(/#block\d+/g, '#block');

/** Where the build and the impl (7.2) differ at one step: the kind of outcome, the error text, the graph. */
function apartFromImpl(r: TargetStep, x: TargetStep): string | undefined {
  const texts = r.outcome.kind === 'error' && x.outcome.kind === 'error' && autoNames(r.outcome.desc) !== autoNames(x.outcome.desc);
  if (kindOf(r.outcome) !== kindOf(x.outcome) || texts) return `it: ${describeOutcome(r.outcome)}; 7.2 (the impl): ${describeOutcome(x.outcome)}`;
  if (r.graph === null || x.graph === null) return undefined;
  const d = diffGraphs(x.graph, r.graph);
  return d.length === 0 ? undefined : `graphs differ (7.2 (the impl) -> it): ${d.slice(0, 3).join('; ')}`;
}

/** Where the build parts from the model (the one comparison, ModelTarget.compare; error wording is not judged). */
function apartFromModel(v: Verdict): string | undefined {
  switch (v.kind) {
    case 'agree':
      return undefined;
    case 'not-judged':
      return `the model does not judge this (${v.why})`;
    case 'known':
      return `a known 7.2 defect (${v.defect.signature})`;
    case 'disagree': {
      const diff = v.graphDiff.length > 0 ? `; graph (model -> it): ${v.graphDiff.slice(0, 3).join('; ')}` : '';
      return `${v.why}; ${v.sides.replace(/^impl:/, 'it:').replace('\n', '; ')}${diff}`;
    }
  }
}

export async function runOnBuild(spec: RunSpec): Promise<BuildRun> {
  const opened = await CheckSession.open(spec.scenario.images, { variant: spec.variant, graphs: true, target: spec.target, invariants: spec.invariants });
  if (!opened.ok) return { kind: 'cannot-run', message: opened.error.message };
  const s = opened.session;
  const model = spec.sides ? new ModelTarget() : undefined;
  const impl = spec.sides?.impl();
  await model?.start(spec.scenario.images, spec.variant);
  const implStarted = spec.sides && impl ? await impl.start(spec.scenario.images, spec.sides.variant) : undefined;
  if (implStarted && !implStarted.ok) return { kind: 'cannot-run', message: implStarted.error.message };
  try {
    const commands = spec.scenario.commands.slice(0, spec.upto + 1);
    let last = 'nothing run';
    for (const [i, cmd] of commands.entries()) {
      const r = await s.step(cmd);
      if (r.finding) return { kind: 'finding', finding: r.finding };
      last = `${cmd.execute}: ${describeOutcome(r.outcome)}`;
      if (!model || !impl) continue;
      const x = await impl.step(cmd);
      const verdict = model.compare(cmd, r);
      const fromModel = apartFromModel(verdict);
      // before the finding's step the build must go the model's way, or the model cannot judge it there
      if (i < spec.upto) {
        if (fromModel !== undefined) return { kind: 'apart', step: i, why: fromModel };
        continue;
      }
      const fromImpl = apartFromImpl(r, x);
      const unjudged = verdict.kind === 'not-judged' ? { unjudged: verdict.why } : {};
      return { kind: 'sides', step: i, likeImpl: fromImpl === undefined, likeModel: fromModel === undefined, detail: fromModel ?? fromImpl ?? describeOutcome(r.outcome), ...unjudged };
    }
    const late = s.end();
    if (late) return { kind: 'finding', finding: late };
    if (!spec.witness) return { kind: 'clean', through: spec.upto, last };
    const extra: readonly QmpCommand[] = spec.witness.commands(s.snapshot);
    for (const cmd of extra) {
      const r = await s.step(cmd);
      if (r.finding) return { kind: 'finding', finding: r.finding };
      last = `${cmd.execute}: ${describeOutcome(r.outcome)}`;
    }
    const after = s.end();
    return after ? { kind: 'finding', finding: after } : { kind: 'clean', through: spec.upto + extra.length, last };
  } finally {
    await s.close();
    await impl?.close();
  }
}
