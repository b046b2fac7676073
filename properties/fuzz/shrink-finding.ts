// Shrinks a finding on the target that showed it. With a fast stand-in (the impl behind QMP) that shows the same
// finding, candidates it rejects are not run on the build; a last pass on the build alone makes the result
// 1-minimal there: the build's verdict decides, the stand-in only saves daemon starts.
import type { Scenario } from '../../qmp/scenario.ts';
import type { Finding } from '../run/finding.ts';
import { checkScenario } from '../run/run-scenario.ts';
import type { Target } from '../run/target.ts';
import { shrinkScenario } from '../shrink/shrink-scenario.ts';
import type { ShrinkResult } from '../shrink/shrink-scenario.ts';
import type { CampaignOptions } from './campaign.ts';

/** The finding a scenario shows now on `target`, if it is still the one with `signature` (and not a known defect's
 * instance of it: a new finding must not shrink into a known one). */
export async function finalFinding(s: Scenario, opts: CampaignOptions, signature: string, target = opts.target): Promise<Finding | undefined> {
  const v = await checkScenario(s, {
    variant: opts.variant,
    graphs: false,
    ...(target ? { target } : {}),
    ...(opts.check ? { check: opts.check() } : {}),
    ...(opts.invariants ? { invariants: opts.invariants } : {}),
  });
  return v.kind === 'finding' && v.finding.signature === signature && v.finding.known === undefined ? v.finding : undefined;
}

export async function shrinkFinding(start: Scenario, opts: CampaignOptions, signature: string): Promise<ShrinkResult> {
  const t0 = (opts.now ?? (() => performance.now()))();
  const shows = (target: (() => Target) | undefined) => async (s: Scenario): Promise<boolean> => (await finalFinding(s, opts, signature, target)) !== undefined;
  const onTarget = shows(opts.target);
  const run = (from: Scenario, reproduces: (s: Scenario) => Promise<boolean>, budgetMs: number): Promise<ShrinkResult> =>
    shrinkScenario(from, { budgetMs, reproduces, onProgress: (p) => opts.onShrink?.(signature, p), ...(opts.now ? { now: opts.now } : {}), ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}) });
  const stand = opts.prefilter;
  if (!stand || !(await shows(stand)(start))) return run(start, onTarget, opts.shrinkBudgetMs);
  const quick = await run(start, async (s) => (await shows(stand)(s)) && onTarget(s), opts.shrinkBudgetMs);
  const left = opts.shrinkBudgetMs - ((opts.now ?? (() => performance.now()))() - t0);
  const last = await run(quick.scenario, onTarget, Math.max(0, left));
  return { scenario: last.scenario, minimal: last.minimal, attempts: quick.attempts + last.attempts };
}
