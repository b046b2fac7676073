// `bgcheck explore`: every command sequence of a universe up to a depth, breadth-first, states deduplicated; new
// findings are stored as fixtures (exit 1 when there is one), shortest by construction.
import type { Command } from 'commander';
import { Option } from 'commander';
import { dirname, resolve } from 'node:path';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import { knownFindings } from './known-findings.ts';
import { readCheckpoint } from '../../properties/explore/checkpoint.ts';
import { DEFAULT_UNIVERSE_PATH } from '../../properties/explore/default-universe.ts';
import type { CheckMode, ExploreJob } from '../../properties/explore/expander.ts';
import { exploreProgress } from '../../properties/explore/explore-progress.ts';
import { exploreLines, exploreSummary } from '../../properties/explore/explore-report.ts';
import { runExplore } from '../../properties/explore/explore-run.ts';
import { loadUniverse } from '../../properties/explore/parse-universe.ts';
import type { SearchPoint } from '../../properties/explore/search.ts';
import { TOOL_VERSION } from '../../properties/tool-version.ts';
import { fixOption, jsonOption, outOption, quirkOption, shrinkTimeOption, storeOption, unknownSwitch } from './campaign-options.ts';
import type { CampaignFlags } from './campaign-options.ts';
import { writableDir } from './path-options.ts';

interface ExploreFlags extends CampaignFlags {
  readonly depth: string;
  readonly universe: string;
  readonly check: CheckMode;
  readonly workers: string;
  readonly checkpoint?: string;
  readonly checkpointEvery: string;
  readonly resume?: string;
  readonly untilFound?: boolean;
}

export function registerExplore(program: Command, setCode: (c: number) => void): void {
  program
    .command('explore')
    .description('run every command sequence of a universe up to --depth, breadth-first; store new findings (exit 1 when there is one)')
    .option('--depth <n>', 'longest sequence explored', '3')
    .option('--universe <file>', 'the universe to enumerate (default: properties/explore/universes/default.json)', DEFAULT_UNIVERSE_PATH)
    .addOption(quirkOption())
    .addOption(fixOption())
    .addOption(new Option('--check <target>', 'also compare every step with the model').choices(['model', 'none']).default('model'))
    .option('--workers <n>', 'worker threads splitting each depth (results do not depend on it)', '1')
    .addOption(jsonOption())
    .addOption(outOption())
    .addOption(storeOption())
    .option('--checkpoint <file>', 'write the search state here (atomically) as it goes, to --resume from')
    .option('--checkpoint-every <seconds>', 'how often within a depth (always at its end)', '30')
    .option('--resume <file>', 'go on from a checkpoint (same universe, switches and --check; --depth may be deeper)')
    .option('--until-found', 'stop after the first depth that stored a new finding')
    .addOption(shrinkTimeOption('time budget for checking one finding 1-minimal'))
    .action(async (flags: ExploreFlags) => setCode(await explore(flags)));
}

function usage(message: string): number {
  process.stderr.write(`bgcheck explore: ${message}\n`);
  return 2;
}

function positive(v: string, name: string, max: number): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 && n <= max ? n : `${name}: expected an integer from 1 to ${max}, got '${v}'`;
}

async function explore(flags: ExploreFlags): Promise<number> {
  const depth = positive(flags.depth, '--depth', 50);
  const workers = positive(flags.workers, '--workers', 64);
  const every = positive(flags.checkpointEvery, '--checkpoint-every', 86_400);
  const shrink = positive(flags.shrinkTime, '--shrink-time', 86_400);
  for (const p of [depth, workers, every, shrink]) if (typeof p === 'string') return usage(p);
  if (typeof depth === 'string' || typeof workers === 'string' || typeof every === 'string' || typeof shrink === 'string') return 2;
  const unknown = unknownSwitch(flags);
  if (unknown !== undefined) return usage(unknown);
  const loaded = await loadUniverse(resolve(flags.universe));
  if (!loaded.ok) return usage(`--universe: ${loaded.error.message}`);
  const outDir = writableDir(flags.out, '--out');
  if (!outDir.ok) return usage(outDir.message);
  const out = outDir.path;
  const cpPath = flags.checkpoint === undefined ? undefined : resolve(flags.checkpoint);
  const cpDir = cpPath === undefined ? undefined : writableDir(dirname(cpPath), '--checkpoint');
  if (cpDir !== undefined && !cpDir.ok) return usage(cpDir.message);
  const variant = { quirks: flags.quirk, fixes: flags.fix };
  const job: ExploreJob = { universe: loaded.universe, variant, check: flags.check };
  let resume: SearchPoint | undefined;
  if (flags.resume !== undefined) {
    const r = await readCheckpoint(resolve(flags.resume), job);
    if (!r.ok) return usage(`--resume: ${r.message}`);
    resume = r.point;
  }
  const fixtures = await loadFixtureDir(out);
  for (const l of fixtures) if (!l.ok) process.stderr.write(`bgcheck explore: ignoring ${l.error.message}\n`);
  // the project's fixtures are known whatever --out is
  const known = await knownFindings(flags.store, out, fixtures, variant);
  if (!known.ok) return usage(known.message);
  const progress = exploreProgress((s) => void process.stderr.write(s), process.stderr.isTTY === true);
  const run = await runExplore({
    job,
    depth,
    workers,
    outDir: out,
    tool: TOOL_VERSION,
    shrinkBudgetMs: shrink * 1000,
    untilFound: flags.untilFound === true,
    known: [...known.signatures].sort(),
    ...(cpPath !== undefined ? { checkpoint: { path: cpPath, everyMs: every * 1000 } } : {}),
    ...(resume ? { resume } : {}),
    onProgress: (p) => progress.batch(p),
  });
  progress.done();
  if (!run.ok) {
    process.stderr.write(`bgcheck explore: ${run.message}\n`);
    return 1;
  }
  const summary = exploreSummary(loaded.universe, run.result, workers, process.cwd());
  const lines = exploreLines(summary, run.result.errors);
  if (flags.json) lines.push(JSON.stringify(summary));
  process.stdout.write(lines.join('\n') + '\n');
  return summary.findings.length > 0 || run.result.errors.length > 0 ? 1 : 0;
}
