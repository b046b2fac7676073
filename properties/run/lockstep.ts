// Two targets run the same step (the impl beside a build): does the second show what the first does? A target
// that stopped answering is one outcome whether it died or hangs, and two rules take the build's word where no
// target can predict the timing or the heap.
import { siteKey } from '../../qmp/crash.ts';
import type { Crash } from '../../qmp/crash.ts';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { Observation } from './observation.ts';
import { describeOutcome, isDeath } from './outcome.ts';
import type { StepOutcome } from './outcome.ts';
import { servedDifference } from './served-difference.ts';

export type Lockstep =
  | { readonly kind: 'agree' }
  /** The first target's crash is the finding: the other died of it one reply earlier, or of the heap's luck. */
  | { readonly kind: 'crash'; readonly crash: Crash }
  /** `what`: the signature's last part (what differs, without names or numbers). */
  | { readonly kind: 'disagree'; readonly why: string; readonly what: string };

/** An outcome as a signature word: `ok`, `error[GenericError]`, `crash`, `hang`. */
const form = (o: StepOutcome): string => (o.kind === 'error' ? `error[${o.code ?? '?'}]` : o.kind);

/** `graph:edge-added+perm-changed`: the kinds of graph difference (diffGraphs' labels), not which nodes. */
const graphChangeKinds = (diff: readonly string[]): string => `graph:${[...new Set(diff.map((l) => (l.split(':')[0] ?? l).replace(/ /g, '-')))].sort().join('+')}`;

/** Automatic node names differ between targets (scenario-format.md), so error texts compare without them. */
const autoNames = (desc: string): string => desc.replace(/#block\d+/g, '#block');

function sameOutcome(a: StepOutcome, b: StepOutcome): boolean {
  if (isDeath(a) || isDeath(b)) return isDeath(a) && isDeath(b);
  if (a.kind === 'error' && b.kind === 'error') return a.code !== null && b.code !== null ? a.code === b.code : autoNames(a.desc) === autoNames(b.desc);
  return a.kind === b.kind;
}

export function lockstep(a: Observation, b: Observation, other: string, first = 'impl'): Lockstep {
  if (b.outcome.kind === 'crash' && !isDeath(a.outcome)) {
    // a crash in a job after the reply races the reply: the first target replied and then died of it
    if (a.died?.phase === 'after-reply' && a.died.kind === 'crash') return { kind: 'crash', crash: a.died.crash };
    // a blkverify comparing an uninitialised null-co read dies or not as the heap happens to be
    if (siteKey(b.outcome.crash.site) === 'blkverify-mismatch' && a.undetermined === 'blkverify-reads-garbage') return { kind: 'crash', crash: b.outcome.crash };
  }
  if (!sameOutcome(a.outcome, b.outcome)) return { kind: 'disagree', why: `${first}: ${describeOutcome(a.outcome)}; ${other}: ${describeOutcome(b.outcome)}`, what: `${first}-${form(a.outcome)}-${other}-${form(b.outcome)}` };
  // an observation step's answer (qmp/observation.ts): what the node serves must be the same
  const served = a.outcome.kind === 'ok' && b.outcome.kind === 'ok' ? servedDifference(a.outcome.value, b.outcome.value) : undefined;
  if (served !== undefined) return { kind: 'disagree', why: `what the node serves differs (${other} -> ${first}): ${served.text}`, what: served.what };
  if (a.graph === null || b.graph === null) return { kind: 'agree' };
  const diff = diffGraphs(b.graph, a.graph);
  return diff.length === 0 ? { kind: 'agree' } : { kind: 'disagree', why: `graphs differ (${other} -> ${first}): ${diff.slice(0, 3).join('; ')}`, what: graphChangeKinds(diff) };
}
