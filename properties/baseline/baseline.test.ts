// The generic fast-check baseline really runs the impl, model and invariants, and finds an easy quirk by itself.
import { describe, expect, it } from 'vitest';
import { qemuDefectSignatures } from '../fixtures/known-signatures.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { ModelTarget } from '../run/model-target.ts';
import { PLAIN } from '../run/target.ts';
import { baselineSearch } from './baseline-run.ts';

describe('fast-check baseline', () => {
  it('finds stale-child-options and shrinks it to a scenario that passes without the quirk', async () => {
    const known = new Set(qemuDefectSignatures());
    const variant = { quirks: ['stale-child-options'], fixes: [] };
    // a generous budget of looking: the quirk shows in a couple of hundred sequences, a slow machine takes longer
    const r = await baselineSearch({ seed: 1, variant, isKnown: (s) => known.has(s), maxCommands: 40, budgetMs: 120_000, shrinkBudgetMs: 5_000 });
    expect(r.runs).toBeGreaterThan(0);
    expect(r.steps).toBeGreaterThan(0);
    const found = r.found;
    expect(found, 'the baseline found nothing').toBeDefined();
    if (!found) return;
    expect(found.finding.detector).toBe('options-match-graph');
    expect(found.shrunk.commands.length).toBeLessThanOrEqual(found.first.commands.length);
    // the shrunk sequence still shows it with the quirk, and is clean on QEMU 7.2's behaviour
    const withQuirk = await checkScenario(found.shrunk, { variant, graphs: false, check: new ModelTarget() });
    expect(withQuirk.kind === 'finding' ? withQuirk.finding.signature : withQuirk.kind).toBe(found.finding.signature);
    expect((await checkScenario(found.shrunk, { variant: PLAIN, graphs: false, check: new ModelTarget() })).kind).toBe('passes');
  }, 300_000);

  it('reports nothing when every finding is known', async () => {
    const r = await baselineSearch({ seed: 3, variant: PLAIN, isKnown: () => true, maxCommands: 10, budgetMs: 300, shrinkBudgetMs: 100, chunk: 5 });
    expect(r.found).toBeUndefined();
    expect(r.runs).toBeGreaterThan(0);
  });
});
