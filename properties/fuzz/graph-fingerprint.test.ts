// The fingerprint tells graphs apart exactly as their JSON texts do, over every graph of the recorded corpus.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../impl/conformance/conformance.ts';
import { loadScenarioFile } from '../../qmp/load-scenario.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { PLAIN } from '../run/target.ts';
import { graphFingerprint } from './graph-fingerprint.ts';

async function corpusGraphs(): Promise<NormalizedGraph[]> {
  const out: NormalizedGraph[] = [];
  const dir = join(CORPUS_DIR, 'scenarios');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const l = await loadScenarioFile(join(dir, f));
    if (!l.ok) continue;
    const impl = new ImplTarget({ graphs: true });
    await impl.start(l.scenario.images, PLAIN);
    for (const c of l.scenario.commands) {
      const { graph } = await impl.step(c);
      if (graph) out.push(graph);
    }
  }
  return out;
}

describe('graphFingerprint', () => {
  it('is equal exactly where the JSON texts are, over the corpus', async () => {
    const byText = new Map<string, number>();
    const byPrint = new Map<number, string>();
    for (const g of await corpusGraphs()) {
      const text = JSON.stringify(g);
      const p = graphFingerprint(g);
      expect(Number.isSafeInteger(p)).toBe(true);
      expect(byText.get(text) ?? p).toBe(p);
      expect(byPrint.get(p) ?? text).toBe(text);
      byText.set(text, p);
      byPrint.set(p, text);
    }
    expect(byText.size).toBeGreaterThan(1000);
  });

  it('tells apart what differs only in where a name ends or a perm list splits', () => {
    const edge = (parent: string, name: string, perm: string[], shared: string[]) => ({ parent, name, child: 'c', perm, 'shared-perm': shared });
    const g = (e: ReturnType<typeof edge>): NormalizedGraph => ({ nodes: [{ name: 'c', type: 'block-driver', drv: 'raw', ro: false }], edges: [e] });
    const prints = [
      g(edge('ab', 'c', [], [])),
      g(edge('a', 'bc', [], [])),
      g(edge('a', 'bc', ['write'], [])),
      g(edge('a', 'bc', [], ['write'])),
      { nodes: [{ name: 'c', type: 'block-driver', drv: 'raw', ro: 'false' }], edges: [] } as NormalizedGraph,
      { nodes: [{ name: 'c', type: 'block-driver', drv: 'raw', ro: false }], edges: [] } as NormalizedGraph,
    ].map(graphFingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
