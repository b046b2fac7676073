import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODEL_FIXES } from '../run/model-target.ts';
import { PLAIN } from '../run/target.ts';
import type { Variant } from '../run/target.ts';
import { KNOWN_DEFECTS } from './known-defects.ts';
import { runPair } from './run-pair.ts';

// BGCHECK_COMPARE_RUNS=20000 for a long soak; the default fits `npm test`
const RUNS = Number(process.env['BGCHECK_COMPARE_RUNS'] ?? 150);
const SEED = Number(process.env['BGCHECK_COMPARE_SEED'] ?? 424242);
const MAX_STEPS = 25;

/** Runs generated sequences on both; an unexplained difference fails with its report, known ones are counted. */
async function compare(variant: Variant, runs: number, seed: number): Promise<Map<string, number>> {
  const known = new Map<string, number>();
  await fc.assert(
    // a bounded shrink: each candidate replays a whole sequence on both targets
    fc.asyncProperty(fc.limitShrink(fc.gen(), 60), async (g) => {
      const r = await runPair(g, MAX_STEPS, variant);
      if (r.kind === 'disagree') throw new Error(r.report);
      if (r.kind === 'known') known.set(r.signature, (known.get(r.signature) ?? 0) + 1);
    }),
    { seed, numRuns: runs },
  );
  return known;
}

describe('the model and the impl agree at every step', () => {
  it('on generated sequences, up to documented QEMU 7.2 defects (impl as 7.2)', async () => {
    const known = await compare(PLAIN, RUNS, SEED);
    expect([...known.keys()].every((k) => KNOWN_DEFECTS.some((d) => d.signature === k))).toBe(true);
  });

  it('with the impl running the fixes the model agrees with, those defects never show', async () => {
    const known = await compare({ quirks: [], fixes: MODEL_FIXES }, Math.ceil(RUNS / 2), SEED + 1);
    const fixed = KNOWN_DEFECTS.filter((d) => d.fix !== undefined && MODEL_FIXES.includes(d.fix)).map((d) => d.signature);
    expect([...known.keys()].filter((k) => fixed.includes(k))).toEqual([]);
  });
});
