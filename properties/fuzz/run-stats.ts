// Counters one campaign keeps: steps, commands per kind, distinct normalized graphs, largest graph.
import { createHash } from 'node:crypto';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { SITUATIONS } from './reach.ts';
import type { Situation } from './reach.ts';

export interface RunStatsData {
  readonly steps: number;
  readonly runs: number;
  readonly maxNodes: number;
  readonly commands: readonly (readonly [string, number])[];
  readonly known: readonly (readonly [string, number])[];
  readonly unjudged: readonly (readonly [string, number])[];
  readonly states: readonly string[];
  readonly reachSteps: readonly (readonly [Situation, number])[];
  readonly reachRuns: readonly (readonly [Situation, number])[];
}

export class RunStats {
  steps = 0;
  runs = 0;
  maxNodes = 0;
  readonly commands = new Map<string, number>();
  /** Known findings (QEMU 7.2 defects, earlier fixtures) met again: counted, not reported. */
  readonly known = new Map<string, number>();
  /** Runs where the model stopped judging (model/README.md "What is not judged"), by reason. */
  readonly unjudged = new Map<string, number>();
  private readonly states = new Set<string>();
  /** Per situation: steps after which it held, and runs in which it held at least once (reach.ts). */
  readonly reachSteps = new Map<Situation, number>();
  readonly reachRuns = new Map<Situation, number>();
  private readonly thisRun = new Set<Situation>();

  countReach(situations: readonly Situation[]): void {
    for (const s of situations) {
      this.reachSteps.set(s, (this.reachSteps.get(s) ?? 0) + 1);
      this.thisRun.add(s);
    }
  }

  /** Ends a run's reach: each situation it met counts once. */
  endRun(): void {
    for (const s of this.thisRun) this.reachRuns.set(s, (this.reachRuns.get(s) ?? 0) + 1);
    this.thisRun.clear();
  }

  /** Every situation, in SITUATIONS order, zeros included: a zero is the news. */
  reachCounts(): Record<Situation, { readonly runs: number; readonly steps: number }> {
    return Object.fromEntries(SITUATIONS.map((s) => [s, { runs: this.reachRuns.get(s) ?? 0, steps: this.reachSteps.get(s) ?? 0 }])) as Record<Situation, { runs: number; steps: number }>;
  }

  countStep(kind: string, graph: NormalizedGraph | null): void {
    this.steps++;
    this.commands.set(kind, (this.commands.get(kind) ?? 0) + 1);
    if (graph === null) return;
    this.states.add(createHash('sha1').update(JSON.stringify(graph)).digest('base64'));
    const nodes = graph.nodes.filter((n) => n.type === 'block-driver').length;
    if (nodes > this.maxNodes) this.maxNodes = nodes;
  }

  /** Plain data, to cross a worker thread's boundary. */
  data(): RunStatsData {
    return { steps: this.steps, runs: this.runs, maxNodes: this.maxNodes, commands: [...this.commands], known: [...this.known], unjudged: [...this.unjudged], states: [...this.states], reachSteps: [...this.reachSteps], reachRuns: [...this.reachRuns] };
  }

  /** Adds another campaign's counts (a worker's share of the runs): sums, the larger graph, the union of states. */
  absorb(d: RunStatsData): void {
    this.steps += d.steps;
    this.runs += d.runs;
    this.maxNodes = Math.max(this.maxNodes, d.maxNodes);
    const add = <K>(m: Map<K, number>, kv: readonly (readonly [K, number])[]): void => kv.forEach(([k, n]) => m.set(k, (m.get(k) ?? 0) + n));
    add(this.commands, d.commands);
    add(this.known, d.known);
    add(this.unjudged, d.unjudged);
    add(this.reachSteps, d.reachSteps);
    add(this.reachRuns, d.reachRuns);
    for (const s of d.states) this.states.add(s);
  }

  get knownTotal(): number {
    return [...this.known.values()].reduce((a, b) => a + b, 0);
  }

  countKnown(signature: string): void {
    this.known.set(signature, (this.known.get(signature) ?? 0) + 1);
  }

  countUnjudged(why: string): void {
    this.unjudged.set(why, (this.unjudged.get(why) ?? 0) + 1);
  }

  get distinctStates(): number {
    return this.states.size;
  }

  /** Sorted by kind, so output does not depend on the order kinds first appeared. */
  commandCounts(): Record<string, number> {
    return Object.fromEntries([...this.commands.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  knownCounts(): Record<string, number> {
    return sorted(this.known);
  }

  unjudgedCounts(): Record<string, number> {
    return sorted(this.unjudged);
  }
}

function sorted(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
