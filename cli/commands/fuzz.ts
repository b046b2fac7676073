// `bgcheck fuzz`: property-based fuzzing of the impl, or of a QEMU build (`--target qemu`); new findings are shrunk
// and stored as fixtures.
import type { Command } from 'commander';
import { Option } from 'commander';
import { describeIdentity } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { observedFor } from '../../properties/invariants/for-build.ts';
import { DEFAULT_HANG_MS, buildTarget, implAsBuild } from '../../properties/observe/targets.ts';
import { ToolHost } from '../../qemu/tool-host.ts';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import { knownFindings, knownOnBuild } from './known-findings.ts';
import { runCampaign } from '../../properties/fuzz/campaign.ts';
import { runWorkerCampaign } from '../../properties/fuzz/worker-campaign.ts';
import { availableParallelism } from 'node:os';
import { progressSink } from '../../properties/fuzz/progress.ts';
import { summaryJson, summaryLines } from '../../properties/fuzz/report.ts';
import { clockSeed } from '../../properties/fuzz/seeds.ts';
import { ModelTarget } from '../../properties/run/model-target.ts';
import type { Target } from '../../properties/run/target.ts';
import { QEMU_OPTION, buildOrSay, defaultJobs } from './qemu-option.ts';
import { TOOL_VERSION } from '../../properties/tool-version.ts';
import { sweepOrphanClaims } from '../../properties/fixtures/claim.ts';
import { writableDir } from './path-options.ts';
import { catchStopSignals } from './stop-signals.ts';
import { fixOption, jsonOption, outOption, quirkOption, shrinkTimeOption, storeOption, unknownSwitch } from './campaign-options.ts';
import type { CampaignFlags } from './campaign-options.ts';

interface FuzzFlags extends CampaignFlags {
  readonly time?: string;
  readonly runs?: string;
  readonly seed?: string;
  readonly check?: 'model' | 'qemu' | 'none';
  readonly target: 'impl' | 'qemu';
  readonly qemu?: string;
  readonly jobs?: string;
  readonly timeout?: string;
  readonly maxSteps: string;
  readonly workers: string;
}

export function registerFuzz(program: Command, setCode: (c: number) => void): void {
  program
    .command('fuzz')
    .description('fuzz the impl (or a QEMU build) with generated QMP sequences; store new findings as fixtures (exit 1 when there is one)')
    .option('--time <seconds>', 'stop after this long (default 60 when --runs is not given)')
    .option('--runs <n>', 'stop after this many sequences')
    .option('--seed <n>', 'campaign seed (default: from the clock, printed)')
    .addOption(quirkOption())
    .addOption(fixOption())
    .addOption(new Option('--target <target>', 'the system under test: the impl, or a QEMU build (see --qemu)').choices(['impl', 'qemu']).default('impl'))
    .addOption(new Option('--check <target>', 'with --target impl, also compare every step with this target (default: model)').choices(['model', 'qemu', 'none']))
    .option(...QEMU_OPTION)
    .option('--jobs <n>', 'sequences at once, one daemon each, where QEMU runs (default: the number of cores)')
    .option('--timeout <ms>', `a QEMU command that gets no reply this long is a hang (default ${DEFAULT_HANG_MS})`)
    .addOption(outOption())
    .addOption(storeOption())
    .addOption(jsonOption())
    .option('--max-steps <n>', 'longest sequence', '40')
    .addOption(shrinkTimeOption('time budget for shrinking one finding'))
    .option('--workers <n>', 'worker processes, each running its share of the runs (default: the number of cores)', String(availableParallelism()))
    .action(async (flags: FuzzFlags) => setCode(await fuzz(flags)));
}

function usage(message: string): number {
  process.stderr.write(`bgcheck fuzz: ${message}\n`);
  return 2;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

function positive(v: string | undefined, name: string): Parsed<number | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? { ok: true, value: n } : { ok: false, message: `${name}: expected a positive integer, got '${v}'` };
}

interface Plan {
  /** Runs QEMU's tools for every sequence; closed when the campaign ends. */
  readonly host?: ToolHost;
  readonly target?: () => Target;
  readonly check?: () => Target;
  readonly build?: ProbedBuild;
  readonly against?: 'model' | 'qemu';
}

/** What runs where: the impl with its second target, or a build judged by the invariants alone. */
async function plan(flags: FuzzFlags, hangMs: number): Promise<Parsed<Plan>> {
  const check = flags.check ?? (flags.target === 'impl' ? 'model' : 'none');
  if (flags.target === 'qemu' && check !== 'none') return { ok: false, message: '--check compares the impl with a second target; with --target qemu the build is judged by the invariants alone' };
  const needsQemu = flags.target === 'qemu' || check === 'qemu';
  if (!needsQemu && flags.qemu !== undefined) return { ok: false, message: '--qemu: nothing runs QEMU here (add --target qemu or --check qemu)' };
  const build = needsQemu ? await buildOrSay('fuzz', flags.qemu) : undefined;
  if (needsQemu && !build) return { ok: false, message: '' };
  const host = build ? new ToolHost() : undefined;
  const onBuild = build ? (): Target => buildTarget(build, { hangMs, ...(host ? { host } : {}) }) : undefined;
  switch (check) {
    case 'none':
      return { ok: true, value: { ...(flags.target === 'qemu' && onBuild ? { target: onBuild, build, host } : {}) } };
    case 'model':
      return { ok: true, value: { check: () => new ModelTarget(), against: 'model' } };
    case 'qemu':
      return { ok: true, value: { ...(onBuild ? { check: onBuild, host } : {}), against: 'qemu', ...(build ? { build } : {}) } };
  }
}

async function fuzz(flags: FuzzFlags): Promise<number> {
  const time = positive(flags.time, '--time');
  const runs = positive(flags.runs, '--runs');
  const maxSteps = positive(flags.maxSteps, '--max-steps');
  const shrinkTime = positive(flags.shrinkTime, '--shrink-time');
  const workers = positive(flags.workers, '--workers');
  const jobs = positive(flags.jobs, '--jobs');
  const timeout = positive(flags.timeout, '--timeout');
  for (const p of [time, runs, maxSteps, shrinkTime, jobs, timeout, workers]) if (!p.ok) return usage(p.message);
  if (!time.ok || !runs.ok || !maxSteps.ok || !shrinkTime.ok || !jobs.ok || !timeout.ok || !workers.ok) return 2;
  if (flags.target === 'qemu' && (flags.quirk.length > 0 || flags.fix.length > 0)) return usage('--quirk and --fix switch the impl; a QEMU build is what it is');
  const planned = await plan(flags, timeout.value ?? DEFAULT_HANG_MS);
  if (!planned.ok) return planned.message === '' ? 2 : usage(planned.message);
  const p = planned.value;
  const onQemu = p.build !== undefined;
  if (!onQemu && jobs.value !== undefined && jobs.value > 1) return usage('--jobs: the impl alone runs in one process; several jobs need QEMU (--target qemu or --check qemu)');
  const seedNum = flags.seed === undefined ? clockSeed(Date.now()) : Number(flags.seed);
  if (!Number.isSafeInteger(seedNum)) return usage(`--seed: expected an integer, got '${flags.seed ?? ''}'`);
  const unknown = unknownSwitch(flags);
  if (unknown !== undefined) return usage(unknown);
  // the store must be writable before an hour of fuzzing, not after
  const outDir = writableDir(flags.out, '--out');
  if (!outDir.ok) return usage(outDir.message);
  const out = outDir.path;
  const loaded = await loadFixtureDir(out);
  for (const l of loaded) if (!l.ok) process.stderr.write(`bgcheck fuzz: ignoring ${l.error.message}\n`);
  const storedSignatures = new Set(loaded.flatMap((l) => (l.ok ? [l.fixture.finding.signature] : [])));
  for (const sig of await sweepOrphanClaims(out, storedSignatures)) process.stderr.write(`bgcheck fuzz: ${sig} was claimed by a run that died before storing it: free again\n`);
  const onBuild = p.build !== undefined && flags.target === 'qemu';
  // the project's store (--store) and --out are known, whatever --out is
  const known = onBuild && p.build ? await knownOnBuild(flags.store, out, loaded, p.build.identity.version) : await knownFindings(flags.store, out, loaded, { quirks: flags.quirk, fixes: flags.fix });
  if (!known.ok) return usage(known.message);
  const progress = progressSink((s) => void process.stderr.write(s), process.stderr.isTTY === true);
  if (p.build && flags.target === 'qemu') process.stderr.write(`bgcheck fuzz: fuzzing ${p.build.build.daemon} (${describeIdentity(p.build.identity)})\n`);
  const stop = catchStopSignals((line) => {
    progress.done();
    process.stderr.write(`bgcheck fuzz: ${line}\n`);
  });
  // neither --time nor --runs: one minute
  const timeMs = time.value !== undefined ? time.value * 1000 : runs.value === undefined ? 60_000 : undefined;
  const knownSet = known.signatures;
  // worker processes fuzz the impl; where QEMU runs, one process drives --jobs daemons at once (processes, one
  // daemon each, measured x1.16 slower on 2 cores: the daemons need the CPU a second node process takes)
  const processes = onQemu ? 1 : Math.min(workers.value ?? 1, runs.value ?? Infinity);
  const common = {
    seed: seedNum,
    runs: runs.value,
    timeMs,
    variant: { quirks: flags.quirk, fixes: flags.fix },
    outDir: out,
    maxSteps: maxSteps.value ?? 40,
    shrinkBudgetMs: (shrinkTime.value ?? 30) * 1000,
    tool: TOOL_VERSION,
    shouldStop: () => stop.signal() !== undefined,
  };
  const report = await (processes > 1
    ? runWorkerCampaign({
        ...common,
        check: p.against === 'model' ? 'model' : 'none',
        known: [...knownSet],
        workers: processes,
        onProgress: (c, n, ms) => progress.run(c, n, ms),
        onShrink: (sig, attempts, commands) => progress.shrink(sig, attempts, commands),
      })
    : runCampaign({
        ...common,
        ...(p.target ? { target: p.target, prefilter: () => implAsBuild() } : {}),
        ...(onBuild && p.build ? { build: p.build.identity, invariants: observedFor(p.build.identity.version) } : {}),
        jobs: onQemu ? (jobs.value ?? defaultJobs()) : 1,
        check: p.check,
        ...(p.against ? { against: p.against } : {}),
        known: knownSet,
        onRun: (s, n, ms) => progress.run(s, n, ms),
        onShrink: (sig, p) => progress.shrink(sig, p.attempts, p.commands),
      })
  ).finally(async () => {
    stop.dispose();
    await p.host?.close();
  });
  progress.done();
  const summary = summaryJson(seedNum, report, process.cwd(), p.build?.identity, stop.signal());
  const lines = summaryLines(summary, report.errors);
  if (flags.json) lines.push(JSON.stringify(summary));
  process.stdout.write(lines.join('\n') + '\n');
  // stopped by a signal: 128+N, after the summary and with every finding stored
  const stopped = stop.exitCode();
  if (stopped !== undefined) return stopped;
  if (report.errors.length > 0 && report.stats.runs === 0) return 2;
  return report.findings.length > 0 || report.errors.length > 0 ? 1 : 0;
}
