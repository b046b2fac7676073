// An invariant checks a snapshot, a step (before/after), or the live impl; [] means it holds.
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import type { SnapshotIndex } from './graph-views.ts';

export interface Violation {
  readonly message: string;
  /** What is wrong without naming nodes (drivers, child names, perms): the last part of the finding's signature. */
  readonly key?: string;
}

export interface StepFacts {
  readonly before: GraphSnapshot;
  readonly after: GraphSnapshot;
  readonly command: QmpCommand;
  readonly outcome: StepOutcome;
  /** `after` is the same graph as `before` (sameSnapshot), where the session compared them already. */
  readonly same?: boolean;
}

interface InvariantBase {
  readonly name: string;
  /** Where the rule comes from: a § of the semantics doc or a QEMU file. */
  readonly source: string;
}

export type Invariant =
  | (InvariantBase & { readonly kind: 'state'; check(g: GraphSnapshot, index: SnapshotIndex): readonly Violation[] })
  | (InvariantBase & { readonly kind: 'step'; check(step: StepFacts): readonly Violation[] })
  /** Judges the step against the run's earlier steps (what nodes served before, what came between): every step so
   * far, oldest first, the one just taken last. */
  | (InvariantBase & { readonly kind: 'history'; check(steps: readonly StepFacts[]): readonly Violation[] })
  /** Needs the impl's objects (speculative edits inside a rolled-back transaction). */
  | (InvariantBase & { readonly kind: 'live'; check(env: BlockEnv): readonly Violation[] });
