// The generic fast-check baseline: `fc.asyncModelRun` over `fc.commands` drawn up front, on the same impl, model and
// invariants as `bgcheck fuzz`, shrunk by fast-check alone. bench/ measures how long it takes to find what bgcheck finds.
import fc from 'fast-check';
import type { Scenario } from '../../qmp/scenario.ts';
import { imagesArb } from '../generate/images.ts';
import { CheckSession } from '../run/check-session.ts';
import { isKnownFinding } from '../run/finding.ts';
import type { Finding } from '../run/finding.ts';
import { ModelTarget } from '../run/model-target.ts';
import type { Variant } from '../run/target.ts';
import { BASE_CALLS } from './baseline-args.ts';
import { BaseCommand, FindingError } from './baseline-command.ts';
import type { BaseReal } from './baseline-command.ts';

export interface BaselineOptions {
  readonly seed: number;
  readonly variant: Variant;
  readonly isKnown: (signature: string) => boolean;
  /** fc.commands' maxCommands: bgcheck's --max-steps. */
  readonly maxCommands: number;
  /** Time to look for a finding, not counting shrinking. */
  readonly budgetMs: number;
  /** Time fast-check may shrink a finding. */
  readonly shrinkBudgetMs: number;
  /** fc.check's numRuns per call; the search goes on with the next seed until the budget is spent. */
  readonly chunk?: number;
}

export interface BaselineResult {
  /** Sequences and steps run while looking (shrink attempts not counted), and the time that took. */
  readonly runs: number;
  readonly steps: number;
  readonly searchMs: number;
  /** The first new finding as first met, and fast-check's shrunk form of it. */
  readonly found?: { readonly first: Scenario; readonly finding: Finding; readonly shrunk: Scenario };
}

const commandsArb = (max: number) => fc.commands(BASE_CALLS.map((a) => a.map((c) => new BaseCommand(c))), { maxCommands: max });

/** Looks for one new finding within the budget, then lets fast-check shrink it. */
export async function baselineSearch(o: BaselineOptions): Promise<BaselineResult> {
  let runs = 0;
  let steps = 0;
  let searchMs = 0;
  let first: { readonly scenario: Scenario; readonly finding: Finding } | undefined;
  let last: { readonly scenario: Scenario; readonly finding: Finding } | undefined;
  let shrinkStart = 0;
  const property = fc.asyncProperty(imagesArb, commandsArb(o.maxCommands), async (images, cmds) => {
    const shrinking = first !== undefined;
    if (shrinking ? performance.now() - shrinkStart > o.shrinkBudgetMs : searchMs > o.budgetMs) return true;
    const t0 = performance.now();
    const opened = await CheckSession.open(images, { variant: o.variant, graphs: false, check: new ModelTarget() });
    if (!opened.ok) throw new Error(`baseline: cannot start: ${opened.error.message}`);
    const real: BaseReal = { session: opened.session, ran: [], isKnown: o.isKnown };
    try {
      await fc.asyncModelRun(() => ({ model: { nodes: new Map<string, string>(), over: false }, real }), cmds);
      const late = real.session.end();
      if (late !== undefined && !isKnownFinding(late, o.isKnown)) throw new FindingError(late);
      return true;
    } catch (e) {
      if (!(e instanceof FindingError)) throw e;
      const seen = { scenario: { images, commands: [...real.ran] }, finding: e.finding };
      // a shrink attempt that shows something else does not count as the same failure
      if (first !== undefined && e.finding.signature !== first.finding.signature) return true;
      if (first === undefined) {
        first = seen;
        shrinkStart = performance.now();
      }
      last = seen;
      return false;
    } finally {
      await real.session.close();
      if (!shrinking) {
        runs++;
        steps += real.ran.length;
        searchMs += performance.now() - t0;
      }
    }
  });
  for (let k = 0; first === undefined && searchMs <= o.budgetMs; k++) {
    const d = await fc.check(property, { seed: o.seed + k, numRuns: o.chunk ?? 50 });
    if (d.failed && first === undefined) throw d.errorInstance instanceof Error ? d.errorInstance : new Error(String(d.errorInstance));
  }
  const found = first !== undefined && last !== undefined ? { first: first.scenario, finding: last.finding, shrunk: last.scenario } : undefined;
  return { runs, steps, searchMs, ...(found ? { found } : {}) };
}
