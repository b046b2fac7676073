// Counters one campaign keeps: steps, commands per kind, distinct normalized graphs, largest graph.
import { createHash } from 'node:crypto';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';

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

  countStep(kind: string, graph: NormalizedGraph | null): void {
    this.steps++;
    this.commands.set(kind, (this.commands.get(kind) ?? 0) + 1);
    if (graph === null) return;
    this.states.add(createHash('sha1').update(JSON.stringify(graph)).digest('base64'));
    const nodes = graph.nodes.filter((n) => n.type === 'block-driver').length;
    if (nodes > this.maxNodes) this.maxNodes = nodes;
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
