// One observation path: the view built from what the impl answers over QMP (as a build is seen) judges every step
// of the recorded corpus as the impl's own graph does, except where QMP cannot show it (a node list refused once a
// corruption cleared a driver; options and the impl's private state).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../impl/conformance/conformance.ts';
import { loadScenarioFile } from '../../qmp/load-scenario.ts';
import { OBSERVED } from '../invariants/index.ts';
import { driverByName } from '../../impl/drivers/registry.ts';
import { judge } from '../invariants/judge.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { PLAIN } from '../run/target.ts';
import type { GraphSnapshot, SnapNode } from '../snapshot.ts';
import { EMPTY_SNAPSHOT } from '../snapshot.ts';
import { implAsBuild } from './targets.ts';
import { viewDifferences } from './view-vs-impl.ts';

/** What QMP shows of a node: no options, no private state (a cleared driver is its own field), no sizes or file names. */
function visible(g: GraphSnapshot): GraphSnapshot {
  return {
    ...g,
    nodes: g.nodes.map((n): SnapNode => ({ ...n, id: 0, options: {}, state: driverByName(n.driver)?.newState() ?? { driver: 'unknown' }, discard: 'ignore', optionsOldestFirst: false, size: 0, filename: null, backingFile: null, implicit: false, monitorOwned: false, inheritsFrom: null, isFormat: false })),
    edges: g.edges.map((e) => ({ ...e, childId: 0, key: e.parent.kind === 'backend' ? `backend/${e.child}/${e.name}` : e.key, parent: { ...e.parent, id: 0 }, declaredParent: { ...e.parent, id: 0 } })),
  };
}

const refused = (g: GraphSnapshot): boolean => g.nodes.some((n) => n.driverGone);

describe('the view from QMP against the impl\'s own graph, over the corpus', () => {
  it('shows the same graph and judges every step the same, where QMP can show it', async () => {
    const dir = join(CORPUS_DIR, 'scenarios');
    const problems: string[] = [];
    let steps = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const l = await loadScenarioFile(join(dir, f));
      if (!l.ok) continue;
      const own = new ImplTarget({ graphs: true });
      const seen = implAsBuild();
      await own.start(l.scenario.images, PLAIN);
      await seen.start(l.scenario.images, PLAIN);
      let before = { own: EMPTY_SNAPSHOT, seen: EMPTY_SNAPSHOT };
      for (const [i, c] of l.scenario.commands.entries()) {
        const a = await own.step(c);
        const b = await seen.step(c);
        if (!a.view || !b.view) break;
        steps++;
        const at = `${f} step ${i} (${c.execute})`;
        if (!refused(a.view)) problems.push(...viewDifferences(a.view, b.view).map((d) => `${at}: ${d}`));
        for (const inv of OBSERVED) {
          const x = judge(inv, { before: visible(before.own), after: visible(a.view), command: c, outcome: a.outcome });
          const y = judge(inv, { before: visible(before.seen), after: visible(b.view), command: c, outcome: b.outcome });
          if (x.length > 0 !== y.length > 0 && !refused(a.view) && !refused(before.own)) problems.push(`${at}: ${inv.name}: impl ${x[0]?.message ?? 'holds'}; view ${y[0]?.message ?? 'holds'}`);
        }
        before = { own: a.view, seen: b.view };
      }
      await own.close();
      await seen.close();
    }
    expect(steps).toBeGreaterThan(4000);
    expect(problems).toEqual([]);
  }, 300_000);
});
