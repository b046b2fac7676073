// One step on the impl and on the model: agree on ok/error, on the error code, and on the normalized graph.
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import { describeOutcome } from '../run/outcome.ts';
import type { StepOutcome } from '../run/outcome.ts';
import { KNOWN_DEFECTS } from './known-defects.ts';
import type { KnownDefect, StepContext } from './known-defects.ts';

export type Verdict =
  | { readonly kind: 'agree' }
  | { readonly kind: 'known'; readonly defect: KnownDefect; readonly why: string }
  | { readonly kind: 'disagree'; readonly why: string; readonly graphDiff: readonly string[] };

function outcomeDiff(a: StepOutcome, b: StepOutcome): string | undefined {
  if (a.kind !== b.kind) return 'one side succeeded or failed where the other did not';
  if (a.kind === 'error' && b.kind === 'error' && a.code !== b.code) return `error codes differ (${String(a.code)} vs ${String(b.code)})`;
  if (a.kind === 'exception') return 'an exception';
  return undefined;
}

export function compareStep(c: StepContext): Verdict {
  const outcome = outcomeDiff(c.impl.outcome, c.model.outcome);
  const graphDiff = c.impl.graph && c.model.graph ? diffGraphs(c.model.graph, c.impl.graph) : [];
  const graphGone = outcome === undefined && (c.impl.graph === null) !== (c.model.graph === null) && c.impl.outcome.kind !== 'crash';
  if (outcome === undefined && graphDiff.length === 0 && !graphGone) return { kind: 'agree' };
  const why = outcome ?? (graphGone ? `only one side could answer the graph queries (impl ${c.impl.graph ? 'did' : 'did not'})` : 'the graphs differ');
  const defect = KNOWN_DEFECTS.find((k) => k.matches(c));
  return defect ? { kind: 'known', defect, why } : { kind: 'disagree', why, graphDiff };
}

export function describeSides(c: StepContext): string {
  return `impl: ${describeOutcome(c.impl.outcome)}${c.impl.outcome.kind === 'error' ? ` [${String(c.impl.outcome.code)}]` : ''}\n` +
    `model: ${describeOutcome(c.model.outcome)}${c.model.outcome.kind === 'error' ? ` [${String(c.model.outcome.code)}]` : ''}`;
}
