// The model's side of every comparison: the outcomes it allows for one command, from every state it may be in,
// against what the other side (the impl, or QEMU) was seen to do. Allowed: the states that fit go on.
import { apply, blockGraph, namedNodes } from '../../model/index.ts';
import type { Branch, CommandFacts, ModelState, Unjudged } from '../../model/index.ts';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { TargetStep } from '../run/target.ts';

export const modelGraph = (s: ModelState): NormalizedGraph => normalizeGraph(blockGraph(s), namedNodes(s));

/** A state's graph as the other side would show it (modelGraph, or a memo of it: states never change in place). */
export type GraphOf = (s: ModelState) => NormalizedGraph;

/** A branch as the other side would show it. */
export interface Allowed {
  readonly branch: Branch;
  readonly graph: NormalizedGraph;
}

/** What the model allowed from its first state, what the command did on the way, and that state. */
export type Stated = { readonly allowed: readonly Allowed[]; readonly facts: CommandFacts; readonly before: ModelState };

export type Judgement =
  | ({ readonly kind: 'allowed'; readonly next: readonly ModelState[] } & Stated)
  | { readonly kind: 'not-judged'; readonly why: Unjudged }
  /** Nothing the model allows fits. */
  | ({ readonly kind: 'outside' } & Stated);

/** Same outcome: ok for ok; an error for an error, with the same code where the other side has codes (QEMU has none). */
export function sameOutcome(b: Branch, o: StepOutcome): boolean {
  if (o.kind === 'ok') return b.outcome.ok;
  return o.kind === 'error' && !b.outcome.ok && (o.code === null || o.code === b.outcome.error.code);
}

/** QAPI's visitor errors (QEMU's and the impl's wording): the model takes arguments as visited, so the shape of a
 * command's arguments is the other side's to decide; such a refusal must leave the graph as it was. */
const QAPI_ERROR = /^(Invalid parameter type for '|Parameter '[^']*' (is missing|is unexpected|does not accept value|expects )|JSON nesting depth)/;
export const isQapiRefusal = (o: StepOutcome): boolean => o.kind === 'error' && (o.code === null || o.code === 'invalid-param') && QAPI_ERROR.test(o.desc);

/** A branch whose graph is drawn when first read: every reader asks only where the outcome matched, and a branch
 * the other side's outcome rules out (the model's success where the impl refused) need not be drawn. */
function lazyAllowed(branch: Branch, graphOf: GraphOf): Allowed {
  let graph: NormalizedGraph | undefined;
  return {
    branch,
    get graph(): NormalizedGraph {
      return (graph ??= graphOf(branch.state));
    },
  };
}

/** Several states fit only where branches look alike; a few are plenty to go on with. */
const MAX_STATES = 4;

export function judge(states: readonly ModelState[], cmd: QmpCommand, seen: TargetStep, graphOf: GraphOf = modelGraph): Judgement {
  const next: ModelState[] = [];
  let first: Stated | undefined;
  const [s0] = states;
  if (s0 !== undefined && isQapiRefusal(seen.outcome)) {
    const refused = { branch: { outcome: { ok: false, error: { code: 'invalid-param', message: 'QAPI' } }, state: s0 }, graph: graphOf(s0) } as const;
    const same = seen.graph !== null && diffGraphs(refused.graph, seen.graph).length === 0;
    const stated = { allowed: [refused], facts: { moved: [], reopened: [], madeWritable: [] }, before: s0 };
    return same ? { kind: 'allowed', next: states, ...stated } : { kind: 'outside', ...stated };
  }
  for (const s of states) {
    const e = apply(s, cmd);
    if (e.kind === 'not-judged') return e;
    const allowed = e.branches.map((branch) => lazyAllowed(branch, graphOf));
    for (const a of allowed) {
      // a side that could not answer the graph queries after a good reply (its process died) fits nothing
      const fits = sameOutcome(a.branch, seen.outcome) && seen.graph !== null && diffGraphs(a.graph, seen.graph).length === 0;
      if (fits && next.length < MAX_STATES && !next.includes(a.branch.state)) next.push(a.branch.state);
    }
    first ??= { allowed, facts: e.facts, before: s };
  }
  if (first === undefined) throw new Error('judge: the model has no state');
  return next.length > 0 ? { kind: 'allowed', next, ...first } : { kind: 'outside', ...first };
}
