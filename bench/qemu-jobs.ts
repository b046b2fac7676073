// Sequences/s of `fuzz --check qemu` with N daemons at once against one, on the same sampled sequences: what --jobs
// buys on this machine. Pairs alternate (one, N, one, N, …) so that a change of load hits both sides alike.
import type { Scenario } from '../qmp/scenario.ts';
import { chooseBuild, describeIdentity } from '../qemu/identity.ts';
import { runPool } from '../properties/fuzz/pool.ts';
import { buildTarget } from '../properties/observe/targets.ts';
import { ToolHost } from '../qemu/tool-host.ts';
import { checkScenario } from '../properties/run/run-scenario.ts';
import { PLAIN } from '../properties/run/target.ts';
import { sampleSequences } from './sample-sequences.ts';

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

/** Replays the sample as `--check qemu` does (the impl beside a fresh daemon), `jobs` sequences at once. */
async function sequencesPerSecond(sample: readonly Scenario[], jobs: number, check: () => ReturnType<typeof buildTarget>): Promise<number> {
  const t0 = performance.now();
  await runPool(jobs, (n) => n < sample.length, async (n) => {
    const scenario = sample[n];
    if (scenario === undefined) return;
    const v = await checkScenario(scenario, { variant: PLAIN, graphs: false, check: check() });
    if (v.kind === 'cannot-run') throw new Error(v.message);
  });
  return Math.round((100 * sample.length) / ((performance.now() - t0) / 1000)) / 100;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** `qemu`: the bin directory of the build; skipped, saying why, where it cannot run. */
export async function qemuJobs(seed: number, n: number, jobs: number, pairs: number, qemu = '/usr/bin'): Promise<QemuJobs> {
  if (n <= 0 || pairs <= 0) return { kind: 'skipped', why: 'no sample asked for' };
  if (jobs < 2) return { kind: 'skipped', why: `one job only (--qemu-jobs ${jobs})` };
  const probed = await chooseBuild(qemu);
  if (!probed.ok) return { kind: 'skipped', why: probed.message };
  const p = probed.probed;
  const sample = await sampleSequences(seed, n);
  const measured: (readonly [number, number])[] = [];
  const host = new ToolHost();
  const target = (): ReturnType<typeof buildTarget> => buildTarget(p, { host });
  // unmeasured: the images kept by qemu/image-cache.ts and the JIT are then what a long campaign has, on both sides
  try {
    await sequencesPerSecond(sample, jobs, target);
    for (let i = 0; i < pairs; i++) {
      const one = await sequencesPerSecond(sample, 1, target);
      const many = await sequencesPerSecond(sample, jobs, target);
      measured.push([one, many]);
    }
  } finally {
    await host.close();
  }
  const scaling = Math.round(100 * median(measured.map(([one, many]) => many / Math.max(0.01, one)))) / 100;
  return { kind: 'measured', build: describeIdentity(p.identity), sequences: sample.length, jobs, pairs: measured, scaling };
}

export function qemuJobsLines(q: QemuJobs): string[] {
  if (q.kind === 'skipped') return [`--check qemu --jobs: not measured (${q.why})`];
  const each = q.pairs.map(([one, many]) => `${one} vs ${many}`).join(', ');
  return [`--check qemu on ${q.build}, ${q.sequences} sequences: sequences/s with 1 daemon vs ${q.jobs}: ${each} (median x${q.scaling})`];
}
