// `bgcheck bench` in one run on one machine: steps/s on one core and with every worker, the impl against QEMU 7.2 on
// the same sequences, and time-to-detect against the generic fast-check baseline; the floors of targets.json.
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadFixtureDir } from '../properties/fixtures/load-fixtures.ts';
import { projectKnown } from '../properties/signature/project-known.ts';
import { PLAIN } from '../properties/run/target.ts';
import { benchLines, runBench } from './bench.ts';
import type { BenchResult } from './bench.ts';
import { detectLines, detectTable } from './detect-table.ts';
import type { DetectRow } from './detect-table.ts';
import { qemuJobs, qemuJobsLines } from './qemu-jobs.ts';
import type { QemuJobs } from './qemu-jobs.ts';
import { qemuRatio } from './qemu-ratio.ts';
import type { QemuRatio } from './qemu-ratio.ts';
import { workersLines, workersSpeed } from './workers-speed.ts';
import type { WorkersSpeed } from './workers-speed.ts';

const STORE = fileURLToPath(new URL('../shrunk-cases/', import.meta.url));

export interface BenchAllOptions {
  readonly seconds: number;
  readonly seed: number;
  /** Seeds per time-to-detect cell (0: no table) and the cap of looking per trial. */
  readonly detectSeeds: number;
  readonly capSeconds: number;
  readonly quirks?: readonly string[];
  /** Sequences replayed on QEMU 7.2 (0: not measured), and where it is. */
  readonly qemuSample: number;
  readonly qemu: string;
  /** `--check qemu` with this many daemons against one (below 2: not measured), on a sample of this many sequences. */
  readonly qemuJobs: number;
  readonly jobsSample: number;
  readonly say: (line: string) => void;
}

export interface BenchAll {
  /** The load average when it started and ended: the machine is shared. */
  readonly load: readonly [number, number];
  readonly single: BenchResult;
  readonly workers: WorkersSpeed;
  readonly qemu: QemuRatio;
  readonly jobs: QemuJobs;
  readonly detect: readonly DetectRow[];
}

// alternating pairs of 1 and N daemons: a load that drifts meets both sides
const JOBS_PAIRS = 2;

const load = (): number => Math.round((loadavg()[0] ?? 0) * 10) / 10;

export async function benchAll(o: BenchAllOptions): Promise<BenchAll> {
  const before = load();
  const single = await runBench(o.seconds, o.seed);
  benchLines(single).forEach(o.say);
  const store = (await loadFixtureDir(STORE)).flatMap((l) => (l.ok ? [l.fixture] : []));
  const known = [...(await projectKnown(store, PLAIN)).signatures];
  const workers = await workersSpeed(availableParallelism(), o.seconds, o.seed, known);
  workersLines(workers).forEach(o.say);
  const qemu = await qemuRatio(o.seed, o.qemuSample, o.qemu);
  qemuLines(qemu).forEach(o.say);
  const jobs = await qemuJobs(o.seed, o.jobsSample, o.qemuJobs, JOBS_PAIRS, o.qemu, known);
  qemuJobsLines(jobs).forEach(o.say);
  const detect =
    o.detectSeeds > 0
      ? await detectTable(store, {
          seeds: o.detectSeeds, capMs: o.capSeconds * 1000, shrinkMs: 10_000, maxSteps: 40, ...(o.quirks ? { quirks: o.quirks } : {}),
          onTrial: (goal, t) => o.say(`  ${goal}, ${t.tool}, seed ${t.seed}: ${t.found.size} found in ${Math.round(t.searchMs / 100) / 10} s, ${t.runs} runs`),
        })
      : [];
  if (detect.length > 0) detectLines(detect, o.capSeconds).forEach(o.say);
  const after = load();
  o.say(`load average: ${before} at the start, ${after} at the end (2 cores shared: seconds are this machine's at that load)`);
  return { load: [before, after], single, workers, qemu, jobs, detect };
}

function qemuLines(q: QemuRatio): string[] {
  if (q.kind === 'skipped') return [`QEMU 7.2 on the same sequences: not measured (${q.why})`];
  return [
    `QEMU 7.2 on the same ${q.sequences} sequences: impl ${q.impl.stepsPerSecond} steps/s (${q.impl.steps} steps, ${q.impl.seconds} s), ` +
      `${q.build} ${q.qemu.stepsPerSecond} steps/s (${q.qemu.steps} steps, ${q.qemu.seconds} s): x${q.ratio}`,
  ];
}
