import { describe, expect, it } from 'vitest';
import { PLAIN } from '../run/target.ts';
import { DEFAULT_UNIVERSE_PATH } from './default-universe.ts';
import { Expander } from './expander.ts';
import type { Expansion, FrontierState } from './expander.ts';
import { loadUniverse } from './parse-universe.ts';

/** What a state does next, whatever its nodes are called: each command's kind, outcome, finding and next state. */
function behaviour(e: Expansion): string[] {
  if (!e.ok) return [`cannot expand: ${e.message}`];
  return e.transitions.map((t) => [t.kind, t.outcome, t.finding?.signature ?? '-', t.explained ?? '-', t.child?.fingerprint ?? '-'].join(' ')).sort();
}

describe('deduplication', () => {
  it('states merged as one behave as one: every pair the default universe merges within depth 2 is bisimilar for a step', async () => {
    const u = await loadUniverse(DEFAULT_UNIVERSE_PATH);
    if (!u.ok) throw new Error(u.error.message);
    const ex = new Expander({ universe: u.universe, variant: PLAIN, check: 'model' });
    const root: FrontierState = { path: [], parted: false };
    const rootFp = await ex.fingerprint(root);
    if (typeof rootFp !== 'string') throw new Error(rootFp.error);
    // every path that reached each state, not only the first
    const reached = new Map<string, FrontierState[]>([[rootFp, [root]]]);
    let frontier = [root];
    for (let depth = 1; depth <= 2; depth++) {
      const next: FrontierState[] = [];
      for (const s of frontier) {
        const e = await ex.expand(s);
        if (!e.ok) throw new Error(e.message);
        for (const t of e.transitions) {
          if (!t.child) continue;
          const state = { path: [...s.path, t.command], parted: t.child.parted };
          const paths = reached.get(t.child.fingerprint);
          if (paths) paths.push(state);
          else {
            reached.set(t.child.fingerprint, [state]);
            next.push(state);
          }
        }
      }
      frontier = next;
    }
    const merged = [...reached.values()].filter((paths) => paths.length > 1);
    // merges of every sort: failed commands (back where they started), deletions, the same nodes added in another order
    expect(merged.length).toBeGreaterThan(40);
    const checked = merged.slice(0, 24);
    for (const [first, ...others] of checked) {
      if (!first) continue;
      const want = behaviour(await ex.expand(first));
      for (const other of others.slice(0, 2)) {
        const why = `${JSON.stringify(first.path)} vs ${JSON.stringify(other.path)}`;
        expect(behaviour(await ex.expand(other)), why).toEqual(want);
      }
    }
  }, 300_000);
});
