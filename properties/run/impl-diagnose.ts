// The impl's own extra diagnostics, after the observed invariants held: checks on its insides (parent lists,
// recorded options, a speculative mirror_top drop), then the model beside it, which states intended behaviour.
import { implFacts } from '../compare/impl-facts.ts';
import { firstViolation } from '../invariants/judge.ts';
import type { Invariant } from '../invariants/index.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { DISAGREEMENT } from './finding.ts';
import { disagreementKey } from '../signature/disagreement-key.ts';
import type { ImplTarget } from './impl-target.ts';
import { ModelTarget } from './model-target.ts';
import type { DiagnoseInput, Diagnosis } from './target.ts';

/** `graphed`: the observation carries the impl's normalized graph (else the model comparison asks for it); `statesHeld`:
 * its view is the same graph as one the checks held on. */
export function implDiagnosis(impl: ImplTarget, input: DiagnoseInput, before: GraphSnapshot | null, checks: readonly Invariant[], graphed: boolean, statesHeld = false): Diagnosis {
  const { command, observation } = input;
  const after = observation.view;
  if (after !== null) {
    const v = firstViolation(checks, { before: before ?? after, after, command, outcome: observation.outcome, env: impl.env }, statesHeld);
    if (v) return { kind: 'finding', detector: v.name, message: v.message, ...(v.key !== undefined ? { what: v.key } : {}) };
  }
  // the model after the impl's checks: what no invariant names, it explains
  const model = input.intent;
  if (!(model instanceof ModelTarget) || impl.modelParted) return { kind: 'clean' };
  const seen = { outcome: observation.outcome, graph: graphed ? observation.graph : impl.graph() };
  const v = model.compare(command, seen, implFacts(impl));
  switch (v.kind) {
    case 'agree':
      return { kind: 'clean' };
    case 'known':
      // a known 7.2 defect parted them: their states differ, so the rest is checked by the invariants alone
      impl.modelParted = true;
      return { kind: 'explained', signature: v.defect.signature };
    case 'not-judged':
      // the model cannot say what QEMU does from here (model/README.md): the invariants go on alone
      impl.modelParted = true;
      return { kind: 'unjudged', why: v.why };
    case 'disagree': {
      const diff = v.graphDiff.length > 0 ? `; graph (model -> impl): ${v.graphDiff.slice(0, 3).join('; ')}` : '';
      return { kind: 'finding', detector: DISAGREEMENT, message: `${v.why}; ${v.sides.replace('\n', '; ')}${diff}`, what: v.key ?? disagreementKey(observation.outcome, v.why, v.sides, v.graphDiff) };
    }
  }
}
