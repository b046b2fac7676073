// `bgcheck bench`: how fast and how big the impl is under fuzzing, against QEMU 7.2 and a generic fast-check
// baseline; exit 1 when a target in bench/targets.json is missed.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { benchAll } from '../../bench/bench-all.ts';
import { collect } from './repeatable.ts';
import { IMPL_QUIRKS } from '../../properties/run/impl-target.ts';

interface BenchFlags {
  readonly time: string;
  readonly seed: string;
  readonly seeds: string;
  readonly cap: string;
  readonly quirk: string[];
  readonly qemuSample: string;
  readonly qemu: string;
  readonly qemuJobs: string;
  readonly jobsSample: string;
  readonly json?: boolean;
}

export function registerBench(program: Command, setCode: (c: number) => void): void {
  program
    .command('bench')
    .description('measure steps/s (one core, every worker), the impl against QEMU 7.2, and time-to-detect against a fast-check baseline')
    .option('--time <seconds>', 'how long each speed measurement fuzzes', '20')
    .option('--seed <n>', 'campaign seed of the speed measurements', '1')
    .option('--seeds <n>', 'seeds 1..n per time-to-detect cell (0: no table)', '5')
    .option('--cap <seconds>', 'looking time each time-to-detect trial gets at most', '10')
    .option('--quirk <q>', 'only these quirks in the time-to-detect table, no 7.2 defects (repeatable)', collect, [])
    .option('--qemu-sample <n>', 'sequences replayed on QEMU 7.2 for the speed ratio (0: not measured)', '10')
    .option('--qemu <path>', 'where QEMU 7.2 is', '/usr/bin')
    .option('--qemu-jobs <n>', '--check qemu with n daemons at once against one (below 2: not measured)', String(availableParallelism()))
    .option('--jobs-sample <n>', 'sequences each side of the --qemu-jobs comparison replays', '20')
    .option('--json', 'end stdout with one JSON line')
    .action(async (flags: BenchFlags) => setCode(await bench(flags)));
}

async function bench(flags: BenchFlags): Promise<number> {
  const seconds = Number(flags.time);
  const seed = Number(flags.seed);
  const seeds = Number(flags.seeds);
  const cap = Number(flags.cap);
  const sample = Number(flags.qemuSample);
  const qemuJobs = Number(flags.qemuJobs);
  const jobsSample = Number(flags.jobsSample);
  const bad = flags.quirk.find((q) => !IMPL_QUIRKS.includes(q));
  if (!(seconds > 0) || !Number.isSafeInteger(seed) || !Number.isSafeInteger(seeds) || seeds < 0 || !(cap > 0) || !Number.isSafeInteger(sample) || sample < 0 || !Number.isSafeInteger(qemuJobs) || qemuJobs < 1 || !Number.isSafeInteger(jobsSample) || jobsSample < 0 || bad !== undefined) {
    process.stderr.write(`bgcheck bench: expected --time > 0, --cap > 0, an integer --seed, --seeds, --qemu-sample and --jobs-sample >= 0, --qemu-jobs >= 1, known quirks${bad !== undefined ? ` (not '${bad}')` : ''}\n`);
    return 2;
  }
  const r = await benchAll({
    seconds, seed, detectSeeds: seeds, capSeconds: cap, qemuSample: sample, qemu: flags.qemu, qemuJobs, jobsSample,
    ...(flags.quirk.length > 0 ? { quirks: flags.quirk } : {}),
    say: (line) => void process.stdout.write(`${line}\n`),
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  return r.single.misses.length === 0 ? 0 : 1;
}
