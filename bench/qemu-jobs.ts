// Sequences/s of `fuzz --check qemu --jobs N` against `--jobs 1`, as the CLI runs them: one campaign in this process,
// one daemon at a time against N at once, over the same runs of one seed. Pairs alternate (one, N, one, N, …) so that
// a change of load hits both sides alike. (N worker processes, one daemon each, measured x1.16 slower than N daemons
// from one process on 2 cores: the node CPU of a second process costs more than the one main thread it frees.)
import { chooseBuild, describeIdentity } from '../qemu/identity.ts';
import type { ProbedBuild } from '../qemu/identity.ts';
import { runCampaign } from '../properties/fuzz/campaign.ts';
import type { CampaignOptions } from '../properties/fuzz/campaign.ts';
import { median } from './median.ts';
import { withTempOut } from './temp-out.ts';
import { buildTarget } from '../properties/observe/targets.ts';
import { ToolHost } from '../qemu/tool-host.ts';
import { PLAIN } from '../properties/run/target.ts';

export type QemuJobs =
  | {
      readonly kind: 'measured';
      readonly build: string;
      readonly sequences: number;
      readonly jobs: number;
      /** Sequences/s with one daemon and with `jobs`, pair by pair. */
      readonly pairs: readonly (readonly [number, number])[];
      /** Median over the pairs of many/one. */
      readonly scaling: number;
    }
  | { readonly kind: 'skipped'; readonly why: string };

type Common = Pick<CampaignOptions, 'seed' | 'runs' | 'timeMs' | 'variant' | 'outDir' | 'maxSteps' | 'shrinkBudgetMs' | 'tool'>;

interface Setup {
  readonly seed: number;
  readonly runs: number;
  readonly probed: ProbedBuild;
  readonly known: readonly string[];
}

interface Ran {
  readonly runs: number;
  /** The campaign's own time: from its first run to its last. */
  readonly ms: number;
  readonly errors: readonly string[];
}

async function campaign(s: Setup, common: Common, jobs: number): Promise<Ran> {
  // a fresh tool host, as a fresh `fuzz` has: its images are made again
  const host = new ToolHost();
  try {
    const r = await runCampaign({ ...common, jobs, check: () => buildTarget(s.probed, { host }), against: 'qemu', known: new Set(s.known) });
    return { runs: r.stats.runs, ms: r.elapsedMs, errors: r.errors };
  } finally {
    await host.close();
  }
}

async function sequencesPerSecond(s: Setup, jobs: number): Promise<number> {
  return withTempOut(async (out) => {
    const common = { seed: s.seed, runs: s.runs, timeMs: undefined, variant: PLAIN, outDir: out, maxSteps: 40, shrinkBudgetMs: 1000, tool: 'bench' };
    const r = await campaign(s, common, jobs);
    if (r.errors.length > 0) throw new Error(`qemu-jobs: ${r.errors.join('; ')}`);
    return Math.round((100 * r.runs) / (r.ms / 1000)) / 100;
  });
}

/** `qemu`: the bin directory of the build; `known`: signatures not to shrink; skipped, saying why, where it cannot run. */
export async function qemuJobs(seed: number, n: number, jobs: number, pairs: number, qemu: string, known: readonly string[]): Promise<QemuJobs> {
  if (n <= 0 || pairs <= 0) return { kind: 'skipped', why: 'no sample asked for' };
  if (jobs < 2) return { kind: 'skipped', why: `one job only (--qemu-jobs ${jobs})` };
  const probed = await chooseBuild(qemu);
  if (!probed.ok) return { kind: 'skipped', why: probed.message };
  const s = { seed, runs: n, probed: probed.probed, known };
  const measured: (readonly [number, number])[] = [];
  for (let i = 0; i < pairs; i++) {
    const one = await sequencesPerSecond(s, 1);
    const many = await sequencesPerSecond(s, jobs);
    measured.push([one, many]);
  }
  const scaling = Math.round(100 * median(measured.map(([one, many]) => many / Math.max(0.01, one)))) / 100;
  return { kind: 'measured', build: describeIdentity(s.probed.identity), sequences: n, jobs, pairs: measured, scaling };
}

export function qemuJobsLines(q: QemuJobs): string[] {
  if (q.kind === 'skipped') return [`--check qemu --jobs: not measured (${q.why})`];
  const each = q.pairs.map(([one, many]) => `${one} vs ${many}`).join(', ');
  return [`--check qemu on ${q.build}, ${q.sequences} sequences (fuzz runs): sequences/s with --jobs 1 vs ${q.jobs}: ${each} (median x${q.scaling})`];
}
