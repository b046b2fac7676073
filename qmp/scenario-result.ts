// What running a scenario prints: qmprun.py's output object, field for field and in its key order.
import type { NormalizedGraph } from './normalized-graph.ts';
import type { JsonValue } from './types.ts';

/**
 * One step, keys in qmprun.py's insertion order: execute, ok, error, return, crashed — except that a crash
 * after a successful reply appends `error` after `crashed`, and a crash on send puts `crashed` before `error`.
 */
export interface StepResult {
  readonly execute: string;
  readonly ok: boolean;
  readonly error?: string | null;
  readonly return?: JsonValue;
  readonly crashed?: true;
}

export interface ScenarioResult {
  readonly steps: readonly StepResult[];
  /** The graph after the last step; null once the peer has crashed. */
  readonly graph: NormalizedGraph | null;
  readonly crashed?: true;
  /** With `every`: the graph after each step that completed (key placed last, as qmprun.py does). */
  readonly graphs?: readonly NormalizedGraph[];
}
