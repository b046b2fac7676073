// `bgcheck fuzz`: property-based fuzzing of the impl; new findings are shrunk and stored as fixtures.
import type { Command } from 'commander';
import { Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { isQemuAvailable } from '../../qemu/available.ts';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import { knownSignatures } from '../../properties/fixtures/known-signatures.ts';
import { runCampaign } from '../../properties/fuzz/campaign.ts';
import { progressSink } from '../../properties/fuzz/progress.ts';
import { summaryJson, summaryLines } from '../../properties/fuzz/report.ts';
import { clockSeed } from '../../properties/fuzz/seeds.ts';
import { IMPL_FIXES, IMPL_QUIRKS } from '../../properties/run/impl-target.ts';
import { ModelTarget } from '../../properties/run/model-target.ts';
import { QemuTarget } from '../../properties/run/qemu-target.ts';
import type { Target } from '../../properties/run/target.ts';
import { TOOL_VERSION } from '../../properties/tool-version.ts';
import { sweepOrphanClaims } from '../../properties/fixtures/claim.ts';
import { writableDir } from './path-options.ts';
import { catchStopSignals } from './stop-signals.ts';

export const DEFAULT_FIXTURE_DIR = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));

interface FuzzFlags {
  readonly time?: string;
  readonly runs?: string;
  readonly seed?: string;
  readonly quirk: string[];
  readonly fix: string[];
  readonly check: 'model' | 'qemu' | 'none';
  readonly out: string;
  readonly json?: boolean;
  readonly maxSteps: string;
  readonly shrinkTime: string;
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

export function registerFuzz(program: Command, setCode: (c: number) => void): void {
  program
    .command('fuzz')
    .description('fuzz the impl with generated QMP sequences; store new findings as fixtures (exit 1 when there is one)')
    .option('--time <seconds>', 'stop after this long (default 60 when --runs is not given)')
    .option('--runs <n>', 'stop after this many sequences')
    .option('--seed <n>', 'campaign seed (default: from the clock, printed)')
    .option('--quirk <q>', 'switch on a historical bug in the impl (repeatable)', collect, [])
    .option('--fix <f>', 'switch off a QEMU 7.2 defect in the impl (repeatable)', collect, [])
    .addOption(new Option('--check <target>', 'also compare every step with this target').choices(['model', 'qemu', 'none']).default('model'))
    .option('--out <dir>', 'where new fixtures go', DEFAULT_FIXTURE_DIR)
    .option('--json', 'end stdout with one JSON line of statistics')
    .option('--max-steps <n>', 'longest sequence', '40')
    .option('--shrink-time <seconds>', 'time budget for shrinking one finding', '30')
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

function checkTarget(check: FuzzFlags['check']): Parsed<(() => Target) | undefined> {
  switch (check) {
    case 'none':
      return { ok: true, value: undefined };
    case 'model':
      return { ok: true, value: () => new ModelTarget() };
    case 'qemu':
      return isQemuAvailable() ? { ok: true, value: () => new QemuTarget() } : { ok: false, message: '--check qemu: qemu-storage-daemon and qemu-img are needed' };
  }
}

async function fuzz(flags: FuzzFlags): Promise<number> {
  const time = positive(flags.time, '--time');
  const runs = positive(flags.runs, '--runs');
  const maxSteps = positive(flags.maxSteps, '--max-steps');
  const shrinkTime = positive(flags.shrinkTime, '--shrink-time');
  const check = checkTarget(flags.check);
  for (const p of [time, runs, maxSteps, shrinkTime, check]) if (!p.ok) return usage(p.message);
  if (!time.ok || !runs.ok || !maxSteps.ok || !shrinkTime.ok || !check.ok) return 2;
  const seedNum = flags.seed === undefined ? clockSeed(Date.now()) : Number(flags.seed);
  if (!Number.isSafeInteger(seedNum)) return usage(`--seed: expected an integer, got '${flags.seed ?? ''}'`);
  const unknown = [...flags.quirk.filter((q) => !IMPL_QUIRKS.includes(q)), ...flags.fix.filter((f) => !IMPL_FIXES.includes(f))];
  if (unknown.length > 0) return usage(`the impl has no quirk or fix '${unknown[0] ?? ''}' (quirks: ${IMPL_QUIRKS.join(', ')}; fixes: ${IMPL_FIXES.join(', ')})`);
  // the store must be writable before an hour of fuzzing, not after
  const outDir = writableDir(flags.out, '--out');
  if (!outDir.ok) return usage(outDir.message);
  const out = outDir.path;
  const loaded = await loadFixtureDir(out);
  for (const l of loaded) if (!l.ok) process.stderr.write(`bgcheck fuzz: ignoring ${l.error.message}\n`);
  const stored = new Set(loaded.flatMap((l) => (l.ok ? [l.fixture.finding.signature] : [])));
  for (const sig of await sweepOrphanClaims(out, stored)) process.stderr.write(`bgcheck fuzz: ${sig} was claimed by a run that died before storing it: free again\n`);
  const progress = progressSink((s) => void process.stderr.write(s), process.stderr.isTTY === true);
  const stop = catchStopSignals((line) => {
    progress.done();
    process.stderr.write(`bgcheck fuzz: ${line}\n`);
  });
  const report = await runCampaign({
    seed: seedNum,
    runs: runs.value,
    // neither --time nor --runs: one minute
    timeMs: time.value !== undefined ? time.value * 1000 : runs.value === undefined ? 60_000 : undefined,
    variant: { quirks: flags.quirk, fixes: flags.fix },
    check: check.value,
    ...(flags.check !== 'none' ? { against: flags.check } : {}),
    outDir: out,
    maxSteps: maxSteps.value ?? 40,
    shrinkBudgetMs: (shrinkTime.value ?? 30) * 1000,
    known: knownSignatures(loaded.flatMap((l) => (l.ok ? [l.fixture] : [])), { quirks: flags.quirk, fixes: flags.fix }),
    tool: TOOL_VERSION,
    onRun: (s, n, ms) => progress.run(s, n, ms),
    onShrink: (sig, p) => progress.shrink(sig, p.attempts, p.commands),
    shouldStop: () => stop.signal() !== undefined,
  }).finally(() => stop.dispose());
  progress.done();
  const summary = summaryJson(seedNum, report, process.cwd(), stop.signal());
  const lines = summaryLines(summary, report.errors);
  if (flags.json) lines.push(JSON.stringify(summary));
  process.stdout.write(lines.join('\n') + '\n');
  // stopped by a signal: 128+N, after the summary and with every finding stored
  const stopped = stop.exitCode();
  if (stopped !== undefined) return stopped;
  if (report.errors.length > 0 && report.stats.runs === 0) return 2;
  return report.findings.length > 0 || report.errors.length > 0 ? 1 : 0;
}
