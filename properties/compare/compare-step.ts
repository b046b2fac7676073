// One step compared with the model: allowed, not judged, a known 7.2 defect, or a disagreement to report.
import type { ModelState, Unjudged } from '../../model/index.ts';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { describeOutcome } from '../run/outcome.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { TargetStep } from '../run/target.ts';
import type { ImplFacts } from './defect-context.ts';
import { judge, sameOutcome } from './judge.ts';
import type { Allowed, GraphOf } from './judge.ts';
import { classify } from './known-defects.ts';
import type { KnownDefect } from './known-defects.ts';

export type Verdict =
  /** `observation`: for an observation step, whether the model judged its answer (served-verdict.ts), or why not. */
  | { readonly kind: 'agree'; readonly next: readonly ModelState[]; readonly observation?: { readonly judged: true } | { readonly judged: false; readonly why: string } }
  | { readonly kind: 'not-judged'; readonly why: Unjudged }
  /** `defect` is the first of `defects` by signature; every reproduction matches exactly one (known-defects.test.ts). */
  | { readonly kind: 'known'; readonly defect: KnownDefect; readonly defects: readonly KnownDefect[] }
  /** `key`: what differs, for the signature, where the graph diff does not say it (an observation's answer). */
  | { readonly kind: 'disagree'; readonly why: string; readonly sides: string; readonly graphDiff: readonly string[]; readonly key?: string };

const describeAllowed = (a: Allowed): string => (a.branch.outcome.ok ? 'ok' : `error: ${a.branch.outcome.error.message} [${a.branch.outcome.error.code}]`);
const describeSeen = (o: StepOutcome): string => `${describeOutcome(o)}${o.kind === 'error' && o.code !== null ? ` [${o.code}]` : ''}`;

/** `seen` is what the other side did: an outcome and the normalized graph after it (null if it could not answer). */
export function compareStep(states: readonly ModelState[], cmd: QmpCommand, seen: TargetStep, impl?: ImplFacts, graphOf?: GraphOf): Verdict {
  const j = judge(states, cmd, seen, graphOf);
  if (j.kind === 'not-judged') return j;
  const crash = seen.outcome.kind === 'crash' ? seen.outcome.crash.site : undefined;
  const defects = classify({ cmd, seen, crash, allowed: j.allowed, facts: j.facts, before: j.before, impl }, j.kind === 'allowed');
  const [defect] = defects;
  if (defect) return { kind: 'known', defect, defects };
  if (j.kind === 'allowed') return { kind: 'agree', next: j.next };
  const closest = j.allowed.find((a) => sameOutcome(a.branch, seen.outcome));
  const why = closest === undefined ? 'one side succeeded or failed where the other did not' : seen.graph === null ? 'only the model could answer the graph queries' : 'the graphs differ';
  const graphDiff = closest !== undefined && seen.graph !== null ? diffGraphs(closest.graph, seen.graph) : [];
  const sides = `impl: ${describeSeen(seen.outcome)}\nmodel: ${[...new Set(j.allowed.map(describeAllowed))].join(' or ')}`;
  return { kind: 'disagree', why, sides, graphDiff };
}
