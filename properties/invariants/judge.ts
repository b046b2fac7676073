// Runs one invariant on a step; a check that throws is reported as a violation, never a crash of the tool.
import { assertNever } from '../../impl/core/result.ts';
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { SnapshotIndex } from './graph-views.ts';
import type { Invariant, StepFacts, Violation } from './invariant.ts';

export interface JudgedStep {
  readonly before: GraphSnapshot;
  readonly after: GraphSnapshot;
  readonly command: QmpCommand;
  readonly outcome: StepOutcome;
  /** The impl's live graph, for the checks that edit it speculatively; absent for any other target. */
  readonly env?: BlockEnv;
  /** Every step judged so far, this one last, for the checks that compare with earlier steps; absent: only this one. */
  readonly history?: readonly StepFacts[];
  /** `after` is the same graph as `before` (sameSnapshot), where the caller compared them already. */
  readonly same?: boolean;
}

/** `index`: the lookups of `s.after`, where the caller built them already. */
export function judge(inv: Invariant, s: JudgedStep, index?: SnapshotIndex): readonly Violation[] {
  try {
    // every invariant on every step: a switch, not a match (the guide's hot-loop exception)
    switch (inv.kind) {
      case 'state':
        return inv.check(s.after, index ?? new SnapshotIndex(s.after));
      case 'step':
        return inv.check(s);
      case 'live':
        // a live check cannot be judged without the impl's insides: nothing to say elsewhere
        return s.env ? inv.check(s.env) : [];
      case 'history':
        return inv.check(s.history ?? [{ before: s.before, after: s.after, command: s.command, outcome: s.outcome }]);
      default:
        return assertNever(inv, 'invariant kind');
    }
  } catch (e) {
    return [{ message: `the check threw: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

/**
 * The first violated invariant in list order, with how many more it found. `statesHeld`: `after` is the same graph as
 * one these invariants all held on, so the state checks (pure functions of it) are not run again.
 */
export function firstViolation(invariants: readonly Invariant[], s: JudgedStep, statesHeld = false): { readonly name: string; readonly message: string; readonly key?: string } | undefined {
  // indexed once for all the state checks of this step, and only if one runs
  let index: SnapshotIndex | undefined;
  for (const inv of invariants) {
    if (inv.kind === 'state') {
      if (statesHeld) continue;
      index ??= new SnapshotIndex(s.after);
    }
    const v = judge(inv, s, index);
    const first = v[0];
    if (first !== undefined) return { name: inv.name, message: first.message + (v.length > 1 ? ` (+${v.length - 1} more)` : ''), ...(first.key !== undefined ? { key: first.key } : {}) };
  }
  return undefined;
}
