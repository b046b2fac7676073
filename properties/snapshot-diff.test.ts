// sameSnapshot holds exactly where the snapshots' canonical texts are equal (the text diffSnapshots compared before it
// compared structurally), over every step of the recorded corpus.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../impl/conformance/conformance.ts';
import { wireJson } from '../qmp/json/wire-text.ts';
import { loadScenarioFile } from '../qmp/load-scenario.ts';
import { ImplTarget } from './run/impl-target.ts';
import { PLAIN } from './run/target.ts';
import { diffSnapshots, sameSnapshot } from './snapshot-diff.ts';
import type { GraphSnapshot } from './snapshot.ts';
import { EMPTY_SNAPSHOT } from './snapshot.ts';

/** The text: nodes with their parents as a set, in graph order. */
const canonical = (g: GraphSnapshot): string => wireJson({ ...g, nodes: g.nodes.map((n) => ({ ...n, parentEdges: [...n.parentEdges].sort() })) });

describe('sameSnapshot', () => {
  it('holds exactly where the canonical texts are equal, over the corpus', async () => {
    const dir = join(CORPUS_DIR, 'scenarios');
    let same = 0;
    let differ = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const l = await loadScenarioFile(join(dir, f));
      if (!l.ok) continue;
      const impl = new ImplTarget();
      await impl.start(l.scenario.images, PLAIN);
      let before: GraphSnapshot = EMPTY_SNAPSHOT;
      for (const [i, c] of l.scenario.commands.entries()) {
        const { view } = await impl.step(c);
        if (!view) break;
        // the same graph with its parents lists the other way round is the same graph
        const turned = { ...view, nodes: view.nodes.map((n) => ({ ...n, parentEdges: [...n.parentEdges].reverse() })) };
        for (const [a, b] of [[before, view], [view, turned]] as const) {
          const textsEqual = canonical(a) === canonical(b);
          expect(sameSnapshot(a, b), `${f} step ${i}`).toBe(textsEqual);
          if (textsEqual) expect(diffSnapshots(a, b)).toEqual([]);
          if (textsEqual) same++;
          else differ++;
        }
        before = view;
      }
    }
    expect(same).toBeGreaterThan(4000);
    expect(differ).toBeGreaterThan(2000);
  });
});
