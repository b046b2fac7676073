// `bgcheck bench`: how fast and how big the impl is under fuzzing; exit 1 when a target in bench/targets.json is missed.
import type { Command } from 'commander';
import { benchLines, runBench } from '../../bench/bench.ts';

interface BenchFlags {
  readonly time: string;
  readonly seed: string;
  readonly json?: boolean;
}

export function registerBench(program: Command, setCode: (c: number) => void): void {
  program
    .command('bench')
    .description('measure steps/s and memory of the impl under fuzzing against bench/targets.json')
    .option('--time <seconds>', 'how long to fuzz', '20')
    .option('--seed <n>', 'campaign seed', '1')
    .option('--json', 'end stdout with one JSON line')
    .action(async (flags: BenchFlags) => setCode(await bench(flags)));
}

async function bench(flags: BenchFlags): Promise<number> {
  const seconds = Number(flags.time);
  const seed = Number(flags.seed);
  if (!(seconds > 0) || !Number.isSafeInteger(seed)) {
    process.stderr.write(`bgcheck bench: expected --time > 0 and an integer --seed\n`);
    return 2;
  }
  const r = await runBench(seconds, seed);
  const lines = benchLines(r);
  if (flags.json) lines.push(JSON.stringify(r));
  process.stdout.write(lines.join('\n') + '\n');
  return r.misses.length === 0 ? 0 : 1;
}
