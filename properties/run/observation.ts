// What one step shows, one type for every target: the command's outcome, a death after its reply, the normalized
// graph (comparisons) and the graph view the invariants judge (properties/snapshot.ts's shape).
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import type { Death, StepOutcome } from './outcome.ts';

/**
 * It replied, then stopped answering: a job's background work killed it (seen before the next command), or it
 * died or hung answering the graph queries. Every later command gets this outcome, without being sent.
 */
export type LateDeath = Death & { readonly phase: 'after-reply' | 'query' };

export interface Observation {
  readonly outcome: StepOutcome;
  readonly died?: LateDeath;
  /** Null when graphs were not asked for, or the target could not show one. */
  readonly graph: NormalizedGraph | null;
  /** What the invariants judge; null when the target cannot show it (dead, or the model, which states intent). */
  readonly view: GraphSnapshot | null;
  /**
   * Why a death of another target at this step may be luck rather than a difference: a blkverify comparing an
   * uninitialised null-co read dies or not as the heap happens to be.
   */
  readonly undetermined?: 'blkverify-reads-garbage';
}

/** A death seen after the reply, as the late death every later command reports. */
export function lateDeath(d: Death, phase: LateDeath['phase']): LateDeath {
  return { ...d, phase };
}
