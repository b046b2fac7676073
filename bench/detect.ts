// Time-to-detect: one trial of one tool (bgcheck's fuzz loop, or the fast-check baseline) on one goal and seed, until
// it has met every class of the goal or spent its cap. Only looking counts as time: shrinking is set aside.
import type { Scenario } from '../qmp/scenario.ts';
import { baselineSearch } from '../properties/baseline/baseline-run.ts';
import type { CampaignOptions } from '../properties/fuzz/campaign.ts';
import { fuzzRun } from '../properties/fuzz/fuzz-run.ts';
import { RunStats } from '../properties/fuzz/run-stats.ts';
import { runSeed } from '../properties/fuzz/seeds.ts';
import { shrinkFinding } from '../properties/fuzz/shrink-finding.ts';
import type { Finding } from '../properties/run/finding.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import type { Goal } from './goals.ts';

export type Tool = 'bgcheck' | 'baseline';

export interface DetectOptions {
  readonly capMs: number;
  readonly shrinkMs: number;
  readonly maxSteps: number;
}

export interface Detection {
  /** Time spent looking (not shrinking) until the class's first finding, and the sequences run by then. */
  readonly ms: number;
  readonly runs: number;
  /** Commands in the shrunk counterexample. */
  readonly length: number;
}

export interface Trial {
  readonly tool: Tool;
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly searchMs: number;
  readonly found: ReadonlyMap<string, Detection>;
  /** Runs the tool itself failed in (a throw inside the impl): counted, and the trial goes on. */
  readonly errors: readonly string[];
}

interface Met {
  readonly finding: Finding;
  readonly shrunk: Scenario;
}

/** bgcheck's own loop (fuzzRun, state-aware generation, swarm), its shrinker after fast-check's capped one. */
async function bgcheckTrial(goal: Goal, seed: number, o: DetectOptions): Promise<Trial> {
  const stats = new RunStats();
  const met = new Set<string>();
  const found = new Map<string, Detection>();
  let searchMs = 0;
  let run = 0;
  const errors: string[] = [];
  const shrinkOpts: CampaignOptions = {
    seed, runs: undefined, timeMs: undefined, variant: goal.variant, check: () => new ModelTarget(), outDir: '', maxSteps: o.maxSteps,
    shrinkBudgetMs: o.shrinkMs, known: goal.known, tool: 'bench',
  };
  while (searchMs < o.capMs && found.size < goal.classes.length) {
    const t0 = performance.now();
    let foundAt: number | undefined;
    const r = await fuzzRun(runSeed(seed, run++), {
      variant: goal.variant, check: () => new ModelTarget(), maxSteps: o.maxSteps, shrinkLimitMs: o.shrinkMs,
      isKnown: (s) => goal.known.has(s) || met.has(s),
      onFound: () => Promise.resolve(void (foundAt = performance.now())),
    }, stats);
    searchMs += (foundAt ?? performance.now()) - t0;
    if (r.kind === 'cannot-run') errors.push(`run ${run - 1}: ${r.message.split('\n')[0] ?? ''}`);
    if (r.kind !== 'finding') continue;
    met.add(r.finding.signature);
    const start = { ...r.scenario, commands: r.scenario.commands.slice(0, r.finding.step + 1) };
    const shrunk = await shrinkFinding(start, shrinkOpts, r.finding.signature);
    await note(goal, { finding: r.finding, shrunk: shrunk.scenario }, found, { ms: searchMs, runs: run });
  }
  return { tool: 'bgcheck', seed, runs: stats.runs, steps: stats.steps, searchMs, found, errors };
}

/** The generic baseline: fc.asyncModelRun over fc.commands, fast-check's shrinking. */
async function baselineTrial(goal: Goal, seed: number, o: DetectOptions): Promise<Trial> {
  const met = new Set<string>();
  const found = new Map<string, Detection>();
  let searchMs = 0;
  let runs = 0;
  let steps = 0;
  for (let k = 0; searchMs < o.capMs && found.size < goal.classes.length; k++) {
    const r = await baselineSearch({
      seed: runSeed(seed, k), variant: goal.variant, isKnown: (s) => goal.known.has(s) || met.has(s),
      maxCommands: o.maxSteps, budgetMs: o.capMs - searchMs, shrinkBudgetMs: o.shrinkMs,
    });
    searchMs += r.searchMs;
    runs += r.runs;
    steps += r.steps;
    if (!r.found) break;
    met.add(r.found.finding.signature);
    await note(goal, { finding: r.found.finding, shrunk: r.found.shrunk }, found, { ms: searchMs, runs });
  }
  return { tool: 'baseline', seed, runs, steps, searchMs, found, errors: [] };
}

async function note(goal: Goal, m: Met, found: Map<string, Detection>, at: { readonly ms: number; readonly runs: number }): Promise<void> {
  const cls = await goal.classify(m.finding, m.shrunk);
  if (cls !== undefined && !found.has(cls)) found.set(cls, { ...at, length: m.shrunk.commands.length });
}

export function detectTrial(tool: Tool, goal: Goal, seed: number, o: DetectOptions): Promise<Trial> {
  return tool === 'bgcheck' ? bgcheckTrial(goal, seed, o) : baselineTrial(goal, seed, o);
}
