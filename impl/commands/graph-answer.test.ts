// The graph read from the impl's own structures is what its two graph queries answer, normalized, at every step of
// the recorded corpus and of every stored counterexample: the same graph, the same refusal, the same death.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../qmp/load-scenario.ts';
import { parseBlockGraph, parseNamedNodes } from '../../qmp/normalized-graph.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import { readJsonFile } from '../../qmp/json-file.ts';
import { parseScenario } from '../../qmp/scenario.ts';
import { BlockLayer } from '../block-layer.ts';
import type { GraphAnswer } from '../block-layer.ts';
import { CORPUS_DIR } from '../conformance/conformance.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

const FIXTURES = new URL('../../shrunk-cases/', import.meta.url).pathname;

/** The answer as the two queries give it, one after the other. */
function byQueries(layer: BlockLayer): GraphAnswer {
  const g = layer.execute('x-debug-query-block-graph');
  const n = g.kind === 'reply' ? layer.execute('query-named-block-nodes', { flat: true }) : g;
  if (g.kind !== 'reply') return g;
  if (n.kind !== 'reply') return n;
  if (!g.result.ok || !n.result.ok) return { kind: 'refused' };
  const raw = parseBlockGraph(g.result.value);
  const named = parseNamedNodes(n.result.value);
  if (!raw.ok || !named.ok) throw new Error('the impl answered something its parsers refuse');
  return { kind: 'graph', graph: normalizeGraph(raw.value, named.value) };
}

async function scenarios(): Promise<{ readonly name: string; readonly scenario: Scenario }[]> {
  const out: { name: string; scenario: Scenario }[] = [];
  const dir = join(CORPUS_DIR, 'scenarios');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const l = await loadScenarioFile(join(dir, f));
    if (l.ok) out.push({ name: f, scenario: l.scenario });
  }
  for (const f of readdirSync(FIXTURES).filter((x) => x.endsWith('.json')).sort()) {
    const j = await readJsonFile(join(FIXTURES, f), f);
    const s = j.ok && typeof j.value === 'object' && j.value !== null && 'scenario' in j.value ? parseScenario(j.value.scenario, f) : undefined;
    if (s?.ok) out.push({ name: f, scenario: s.scenario });
  }
  return out;
}

describe('the impl\'s graph without its query replies', () => {
  it('answers as x-debug-query-block-graph and query-named-block-nodes do, at every step', async () => {
    const kinds = new Map<string, number>();
    let steps = 0;
    for (const { name, scenario } of await scenarios()) {
      const layer = new BlockLayer(MemoryImageStore.fromSpecs(scenario.images));
      const shadow = new BlockLayer(MemoryImageStore.fromSpecs(scenario.images));
      for (const [i, c] of scenario.commands.entries()) {
        const args = isObjectValue(c.arguments) ? c.arguments : {};
        const o = layer.execute(c.execute, args);
        shadow.execute(c.execute, args);
        if (o.kind !== 'reply') break;
        steps++;
        const direct = layer.graph();
        const queried = byQueries(shadow);
        kinds.set(direct.kind, (kinds.get(direct.kind) ?? 0) + 1);
        expect(direct, `${name} step ${i} (${c.execute})`).toEqual(queried);
        if (direct.kind === 'qemu-abort') break;
      }
    }
    expect(steps).toBeGreaterThan(4000);
    // every kind of answer was met
    expect([...kinds.keys()].sort()).toEqual(['graph', 'qemu-abort', 'refused']);
  });
});
