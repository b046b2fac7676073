// A new finding of the search, stored as `fuzz` stores one: shrunk to 1-minimal (the search's sequence is the
// shortest the universe has, but a command may still go where the universe could not drop it), then a fixture.
import type { Scenario } from '../../qmp/scenario.ts';
import { newFixture } from '../fixtures/new-fixture.ts';
import { slugOf, writeFixture } from '../fixtures/write-fixture.ts';
import type { Finding } from '../run/finding.ts';
import { ModelTarget } from '../run/model-target.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { shrinkScenario } from '../shrink/shrink-scenario.ts';
import type { ExploreJob } from './expander.ts';

export interface NewFinding {
  readonly finding: Finding;
  /** The universe's images and the search's path to the finding. */
  readonly scenario: Scenario;
}

export interface StoredFinding {
  readonly signature: string;
  readonly detector: string;
  readonly message: string;
  /** Commands in the search's sequence: the depth it was found at. */
  readonly depth: number;
  /** Commands in the stored fixture. */
  readonly steps: number;
  /** No command of the search's sequence could go (arguments and unused images may have). */
  readonly shortest: boolean;
  /** The stored scenario is 1-minimal (the shrinker finished within its budget). */
  readonly minimal: boolean;
  readonly file: string;
}

export interface StoreOptions {
  readonly job: ExploreJob;
  readonly outDir: string;
  readonly tool: string;
  readonly shrinkBudgetMs: number;
}

export async function storeFinding(f: NewFinding, opts: StoreOptions): Promise<StoredFinding> {
  const signature = f.finding.signature;
  const shows = async (s: Scenario): Promise<Finding | undefined> => {
    const v = await checkScenario(s, { variant: opts.job.variant, graphs: false, ...(opts.job.check === 'model' ? { check: new ModelTarget() } : {}) });
    return v.kind === 'finding' && v.finding.signature === signature ? v.finding : undefined;
  };
  const shrunk = await shrinkScenario(f.scenario, { budgetMs: opts.shrinkBudgetMs, reproduces: async (s) => (await shows(s)) !== undefined });
  const final = await shows(shrunk.scenario);
  const finding = final ?? f.finding;
  const scenario = final ? shrunk.scenario : f.scenario;
  const u = opts.job.universe;
  const fixture = newFixture({
    finding,
    scenario,
    variant: opts.job.variant,
    against: opts.job.check === 'model' ? 'model' : undefined,
    seed: 0,
    path: `explore ${u.name}@${u.version} depth ${f.scenario.commands.length}`,
    tool: opts.tool,
  });
  const written = await writeFixture(opts.outDir, fixture, slugOf(signature));
  return {
    signature,
    detector: finding.detector,
    message: finding.message,
    depth: f.scenario.commands.length,
    steps: scenario.commands.length,
    shortest: scenario.commands.length === f.scenario.commands.length,
    minimal: final !== undefined && shrunk.minimal,
    file: written.path,
  };
}
