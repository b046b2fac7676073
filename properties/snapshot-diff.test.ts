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
import { EDGE_FIELD_NAMES, NODE_FIELD_NAMES, diffSnapshots, sameSnapshot } from './snapshot-diff.ts';
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

  it('tells apart two graphs that differ in any one field of a node or an edge (each is compared by name)', async () => {
    const impl = new ImplTarget();
    await impl.start([{ filename: 'a.qcow2', format: 'qcow2', size: 1048576 }], PLAIN);
    const { view } = await impl.step({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'a.qcow2' } } });
    if (!view) throw new Error('no view');
    const other = (v: unknown): unknown =>
      typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}x` : typeof v === 'boolean' ? !v : Array.isArray(v) ? [...(v as unknown[]), 'x'] : v === null ? 'x' : { ...(v as object), changed: true };
    // a parent is compared by what names it (kind, name, id)
    const otherOf = (k: string, v: unknown): unknown => (k === 'parent' || k === 'declaredParent' ? { ...(v as { id: number }), id: (v as { id: number }).id + 1 } : other(v));
    const [n, ...nodes] = view.nodes;
    const [e, ...edges] = view.edges;
    if (!n || !e) throw new Error('no node or edge');
    for (const k of NODE_FIELD_NAMES) expect(sameSnapshot(view, { ...view, nodes: [{ ...n, [k]: other(n[k]) }, ...nodes] }), k).toBe(false);
    for (const k of EDGE_FIELD_NAMES) expect(sameSnapshot(view, { ...view, edges: [{ ...e, [k]: otherOf(k, e[k]) }, ...edges] }), k).toBe(false);
    expect(sameSnapshot(view, { ...view, nodes: [{ ...n }, ...nodes], edges: [{ ...e }, ...edges] })).toBe(true);
  });
});
