// `bgcheck triage [FIXTURES...] --qemu A [--qemu B ...]`: every fixture on every build, alone; per fixture and build
// reproduces / fixed / differs / unobservable, held against what the fixture records for that version.
import type { Command } from 'commander';
import { join } from 'node:path';
import { loadFixtureDir, loadFixtureFile } from '../../properties/fixtures/load-fixtures.ts';
import type { LoadFixtureResult } from '../../properties/fixtures/load-fixtures.ts';
import { rewriteFixture, withBuilds } from '../../properties/fixtures/record-builds.ts';
import { DEFAULT_HANG_MS } from '../../properties/observe/targets.ts';
import { jsonReport, markdownReport, textReport } from '../../properties/triage/report.ts';
import { allAsRecorded, triage } from '../../properties/triage/triage.ts';
import type { TriageRow } from '../../properties/triage/triage.ts';
import { recordable } from '../../properties/triage/verdict.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { DEFAULT_FIXTURE_DIR } from './campaign-options.ts';
import { QEMU_OPTION, buildOrSay, defaultJobs } from './qemu-option.ts';
import { collect } from './repeatable.ts';

interface TriageFlags {
  readonly qemu: string[];
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly record?: boolean;
  readonly jobs?: string;
  readonly timeout?: string;
}

export function registerTriage(program: Command, setCode: (c: number) => void): void {
  program
    .command('triage')
    .description('run every fixture alone on every QEMU build: reproduces / fixed / differs, held against what each records for that version (exit 1 when one is not)')
    .argument('[fixtures...]', 'fixture files (default: every shrunk-cases/*.json)')
    .option(`${QEMU_OPTION[0]}`, `${QEMU_OPTION[1]}; repeat for several builds`, collect, [])
    .option('--json', 'print one JSON document instead of the table')
    .option('--markdown', 'print a Markdown table instead (the README\'s)')
    .option('--record', "write each verdict into the fixture's expect.builds for the build's version")
    .option('--jobs <n>', 'daemons at once (default: the number of cores)')
    .option('--timeout <ms>', `a command that gets no reply this long is a hang (default ${DEFAULT_HANG_MS})`)
    .action(async (files: string[], flags: TriageFlags) => setCode(await run(files, flags)));
}

function usage(message: string): number {
  process.stderr.write(`bgcheck triage: ${message}\n`);
  return 2;
}

async function run(files: readonly string[], flags: TriageFlags): Promise<number> {
  const jobs = flags.jobs === undefined ? defaultJobs() : Number(flags.jobs);
  const hangMs = flags.timeout === undefined ? DEFAULT_HANG_MS : Number(flags.timeout);
  if (!Number.isSafeInteger(jobs) || jobs < 1) return usage(`--jobs: expected a positive integer, got '${flags.jobs ?? ''}'`);
  if (!Number.isSafeInteger(hangMs) || hangMs < 1) return usage(`--timeout: expected a positive integer, got '${flags.timeout ?? ''}'`);
  if (flags.json && flags.markdown) return usage('--json and --markdown: pick one');
  const loaded: LoadFixtureResult[] = files.length > 0 ? await Promise.all(files.map(loadFixtureFile)) : await loadFixtureDir(DEFAULT_FIXTURE_DIR);
  const bad = loaded.find((l) => !l.ok);
  if (bad && !bad.ok) return usage(`bad fixture: ${bad.error.message}`);
  const fixtures = loaded.flatMap((l) => (l.ok ? [{ fixture: l.fixture, file: l.file }] : []));
  if (fixtures.length === 0) return usage('no fixtures to triage');
  const builds: ProbedBuild[] = [];
  for (const q of flags.qemu.length > 0 ? flags.qemu : [undefined]) {
    const b = await buildOrSay('triage', q);
    if (!b) return 2;
    builds.push(b);
  }
  const tty = process.stderr.isTTY === true;
  const rows = await triage(
    fixtures.map((f) => f.fixture),
    builds,
    { jobs, hangMs, onVerdict: (done, total) => tty && process.stderr.write(`\r\x1b[Ktriage: ${done}/${total}${done === total ? '\n' : ''}`) },
  );
  if (flags.record) await record(rows, fixtures.map((f) => f.file));
  const out = flags.json ? [JSON.stringify(jsonReport(rows))] : flags.markdown ? markdownReport(rows) : textReport(rows);
  process.stdout.write(out.join('\n') + '\n');
  return flags.record || allAsRecorded(rows) ? 0 : 1;
}

async function record(rows: readonly TriageRow[], files: readonly string[]): Promise<void> {
  for (const [i, r] of rows.entries()) {
    const verdicts = Object.fromEntries(r.cells.flatMap((c) => {
      const v = recordable(c.verdict);
      return v ? [[c.version, v]] : [];
    }));
    const file = files[i] ?? join(DEFAULT_FIXTURE_DIR, `${r.fixture.name}.json`);
    await rewriteFixture(file, withBuilds(r.fixture, verdicts));
  }
}
