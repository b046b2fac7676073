// A fuzz campaign: runs until --runs or --time, shrinks each new finding to 1-minimal and stores it as a fixture.
import { Sha256Memo } from '../../qmp/runs-sha256.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { BuildId } from '../fixtures/fixture.ts';
import type { Invariant } from '../invariants/index.ts';
import type { Finding } from '../run/finding.ts';
import type { Target, Variant } from '../run/target.ts';
import type { ShrinkProgress } from '../shrink/shrink-scenario.ts';
import { fuzzRun } from './fuzz-run.ts';
import { runPool } from './pool.ts';
import { finalFinding, shrinkFinding } from './shrink-finding.ts';
import { RunStats } from './run-stats.ts';
import { storeShrunk, storeUnshrunk } from './store-finding.ts';
import type { Found, StoreResult, Stored } from './store-finding.ts';
import { runSeed } from './seeds.ts';

export interface CampaignOptions {
  readonly seed: number;
  /** The system under test, one per sequence (default: the impl). */
  readonly target?: () => Target;
  /** The build under test, recorded in the fixtures it finds. */
  readonly build?: BuildId;
  /** Sequences at once (several daemons); default 1. */
  readonly jobs?: number;
  /** A fast stand-in tried first for shrink candidates (the impl behind QMP); the target's verdict decides. */
  readonly prefilter?: () => Target;
  readonly runs: number | undefined;
  readonly timeMs: number | undefined;
  readonly variant: Variant;
  readonly check: (() => Target) | undefined;
  /** The name of what `check` builds, stored in disagreement fixtures. */
  readonly against?: 'model' | 'qemu';
  readonly outDir: string;
  readonly maxSteps: number;
  readonly shrinkBudgetMs: number;
  /** Safety net on fast-check's (capped) shrinking before ours takes over (default 10 s). */
  readonly fcShrinkMs?: number;
  /** Signatures that are not news (QEMU 7.2 defects, stored fixtures). */
  readonly known: ReadonlySet<string>;
  readonly tool: string;
  /** Default: every invariant (tests pass doubles). */
  readonly invariants?: readonly Invariant[];
  readonly onRun?: (stats: RunStats, findings: number, elapsedMs: number) => void;
  readonly onShrink?: (signature: string, p: ShrinkProgress) => void;
  readonly now?: () => number;
  /** This campaign's share of the runs when several workers split them: runs `index`, `index + count`, … */
  readonly share?: { readonly index: number; readonly count: number };
  /** True once a signal asked the campaign to stop: it ends at the next step, its findings stored. */
  readonly shouldStop?: () => boolean;
}

export interface CampaignFinding {
  readonly signature: string;
  readonly invariant: string;
  readonly message: string;
  readonly steps: number;
  readonly file: string;
  readonly minimal: boolean;
  /** False when a stop cut shrinking short: the fixture keeps status `unshrunk`. */
  readonly shrunk: boolean;
  /** The sequence (0-based) that showed it, and when, before shrinking. */
  readonly run: number;
  readonly foundAfterMs: number;
}

export interface CampaignReport {
  readonly stats: RunStats;
  readonly elapsedMs: number;
  readonly findings: readonly CampaignFinding[];
  /** Runs the fuzzer could not even start or that failed inside the tool. */
  readonly errors: readonly string[];
}

/** Shrinks a stored finding to 1-minimal on its target (or as far as a stop allows) and replaces its fixture with the result. */
async function shrinkStored(
  stored: Stored,
  found: { finding: Finding; scenario: Scenario; path: string },
  seed: number,
  opts: CampaignOptions,
  when: { readonly run: number; readonly foundAfterMs: number },
): Promise<CampaignFinding> {
  const signature = found.finding.signature;
  const start = { ...found.scenario, commands: found.scenario.commands.slice(0, found.finding.step + 1) };
  const shrunk = await shrinkFinding(start, opts, signature);
  const stopped = opts.shouldStop?.() === true;
  // stopped: the best candidate so far reproduced when it was tried, and there is no time to ask again
  const final = stopped ? { ...found.finding, step: shrunk.scenario.commands.length - 1 } : await finalFinding(shrunk.scenario, opts, signature);
  // a finding that does not show again on the shrunk scenario (a racy target) is stored as it was first seen
  const finding = final ?? found.finding;
  const scenario = final ? shrunk.scenario : start;
  await storeShrunk(stored, { finding, scenario }, seed, found.path, stopped ? 'stopped' : shrunk.minimal, opts);
  const minimal = !stopped && final !== undefined && shrunk.minimal;
  return { signature, invariant: finding.detector, message: finding.message, steps: scenario.commands.length, file: stored.path, minimal, shrunk: !stopped, ...when };
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const stats = new RunStats();
  const seen = new Set(opts.known);
  const checksums = new Sha256Memo();
  const findings: CampaignFinding[] = [];
  const errors: string[] = [];
  const more = (run: number): boolean =>
    opts.shouldStop?.() !== true && (opts.runs === undefined || run < opts.runs) && (opts.timeMs === undefined || now() - started < opts.timeMs);
  // --workers: this campaign's share of the runs; the pool numbers its tasks 0, 1, … within the share
  const share = opts.share ?? { index: 0, count: 1 };
  const runOf = (n: number): number => share.index + n * share.count;
  await runPool(opts.jobs ?? 1, (n) => more(runOf(n)), async (n, control) => {
    const run = runOf(n);
    const seed = runSeed(opts.seed, run);
    const cfg = {
      variant: opts.variant,
      check: opts.check,
      maxSteps: opts.maxSteps,
      isKnown: (s: string) => seen.has(s),
      shrinkLimitMs: opts.fcShrinkMs ?? 10_000,
      checksums,
      ...(opts.target ? { target: opts.target } : {}),
      ...(opts.invariants ? { invariants: opts.invariants } : {}),
    };
    let stored: StoreResult | undefined;
    let storeError: string | undefined;
    const onFound = async (found: Found): Promise<void> => {
      // another worker met the same new finding first: it stores it, this one counts it as known
      if (seen.has(found.finding.signature)) return;
      seen.add(found.finding.signature);
      try {
        stored = await storeUnshrunk(found, seed, opts);
      } catch (e) {
        storeError = e instanceof Error ? e.message : String(e);
      }
    };
    const r = await fuzzRun(seed, { ...cfg, onFound, ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}) }, stats);
    if (storeError !== undefined) {
      errors.push(`run ${run} (seed ${seed}): cannot store the finding: ${storeError}`);
      control.stop();
      return;
    }
    if (r.kind === 'cannot-run') {
      errors.push(`run ${run} (seed ${seed}): ${r.message}`);
      // the same problem would repeat on every run (an unsupported --quirk, no QEMU)
      control.stop();
      return;
    }
    if (r.kind === 'finding') {
      const st: StoreResult | undefined = stored;
      // another worker, or another process on the same store, has this signature: known, not stored twice
      if (st === undefined || st.kind === 'taken') stats.countKnown(r.finding.signature);
      else findings.push(await shrinkStored(st.stored, r, seed, opts, { run, foundAfterMs: now() - started }));
    }
    opts.onRun?.(stats, findings.length, now() - started);
  });
  return { stats, elapsedMs: now() - started, findings, errors };
}
