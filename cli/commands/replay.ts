// `bgcheck replay FILE...`: replays fixtures against their expectations (or under given quirks/fixes).
import type { Command } from 'commander';
import { Option } from 'commander';
import { basename } from 'node:path';
import { loadFixtureFile } from '../../properties/fixtures/load-fixtures.ts';
import { describeCheck, replayFixture } from '../../properties/replay/replay-fixture.ts';
import type { ReplayVerdict } from '../../properties/replay/replay-fixture.ts';
import type { TargetName } from '../../properties/run/target.ts';
import { stepProgress } from '../../properties/replay/step-progress.ts';

interface ReplayFlags {
  readonly target: TargetName;
  readonly quirk: string[];
  readonly fix: string[];
  readonly json?: boolean;
  readonly allowUnknownCommands?: boolean;
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

export function registerReplay(program: Command, setCode: (c: number) => void): void {
  program
    .command('replay')
    .description('replay fixture files: each must reproduce / pass as its expectation says (exit 1 otherwise, 2 for a bad or unsafe file)')
    .argument('<files...>', 'fixture files (shrunk-cases/NNNN-*.json)')
    .addOption(new Option('--target <target>', 'what to replay on').choices(['impl', 'model', 'qemu']).default('impl'))
    .option('--quirk <q>', 'replay with this historical bug switched on (repeatable)', collect, [])
    .option('--fix <f>', 'replay with this QEMU 7.2 defect switched off (repeatable)', collect, [])
    .option('--json', 'print one JSON line with every verdict')
    .option('--allow-unknown-commands', 'send QEMU commands, drivers and objects the tool does not model (the sandbox still holds)')
    .action(async (files: string[], flags: ReplayFlags) => setCode(await replay(files, flags)));
}

type Row = { readonly file: string; readonly verdict: ReplayVerdict | { readonly kind: 'bad-file'; readonly reason: string } };

async function replayOne(file: string, flags: ReplayFlags): Promise<Row> {
  const loaded = await loadFixtureFile(file);
  if (!loaded.ok) return { file, verdict: { kind: 'bad-file', reason: loaded.error.message } };
  const explicit = flags.quirk.length > 0 || flags.fix.length > 0;
  const progress = stepProgress((s) => void process.stderr.write(s), process.stderr.isTTY === true, basename(file));
  try {
    const verdict = await replayFixture(loaded.fixture, {
      target: flags.target,
      ...(explicit ? { variant: { quirks: flags.quirk, fixes: flags.fix } } : {}),
      allowUnknownCommands: flags.allowUnknownCommands === true,
      onStep: progress.step,
    });
    return { file, verdict };
  } finally {
    progress.done();
  }
}

/** The line for a row, and whether it is a problem with the file (stderr) rather than a verdict (stdout). */
function text(r: Row): { readonly line: string; readonly problem: boolean } {
  const name = basename(r.file);
  switch (r.verdict.kind) {
    case 'bad-file':
      return { line: `${name}: bad fixture: ${r.verdict.reason}`, problem: true };
    case 'not-available':
      return { line: `${name}: not available: ${r.verdict.reason}`, problem: true };
    case 'unsafe':
      return { line: r.verdict.reason, problem: true };
    case 'as-expected':
    case 'unexpected':
      return { line: `${name}: ${r.verdict.kind === 'as-expected' ? 'as expected' : 'UNEXPECTED'}: ${r.verdict.checks.map(describeCheck).join('; ')}`, problem: false };
  }
}

async function replay(files: readonly string[], flags: ReplayFlags): Promise<number> {
  const rows: Row[] = [];
  for (const f of files) {
    const row = await replayOne(f, flags);
    rows.push(row);
    const t = text(row);
    (t.problem ? process.stderr : process.stdout).write(`${t.line}\n`);
  }
  if (flags.json) process.stdout.write(JSON.stringify(rows) + '\n');
  if (rows.some((r) => text(r).problem)) return 2;
  return rows.some((r) => r.verdict.kind === 'unexpected') ? 1 : 0;
}
