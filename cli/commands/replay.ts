// `bgcheck replay FILE...`: replays fixtures against their expectations (or under given quirks/fixes).
import type { Command } from 'commander';
import { Option } from 'commander';
import { basename } from 'node:path';
import { loadFixtureFile } from '../../properties/fixtures/load-fixtures.ts';
import { describeCheck, replayFixture } from '../../properties/replay/replay-fixture.ts';
import type { ReplayVerdict } from '../../properties/replay/replay-fixture.ts';
import type { TargetName } from '../../properties/run/target.ts';
import { describeIdentity } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { QEMU_OPTION, buildOrSay } from './qemu-option.ts';
import { stepProgress } from '../../properties/replay/step-progress.ts';
import { collect } from './repeatable.ts';

interface ReplayFlags {
  readonly target: TargetName;
  readonly qemu?: string;
  readonly quirk: string[];
  readonly fix: string[];
  readonly json?: boolean;
  readonly allowUnknownCommands?: boolean;
}

export function registerReplay(program: Command, setCode: (c: number) => void): void {
  program
    .command('replay')
    .description('replay fixture files: each must reproduce / pass as its expectation says (exit 1 otherwise, 2 for a bad or unsafe file)')
    .argument('<files...>', 'fixture files (shrunk-cases/NNNN-*.json)')
    .addOption(new Option('--target <target>', 'what to replay on').choices(['impl', 'model', 'qemu']).default('impl'))
    .option('--quirk <q>', 'replay with this historical bug switched on (repeatable)', collect, [])
    .option('--fix <f>', 'replay with this QEMU 7.2 defect switched off (repeatable)', collect, [])
    .option(...QEMU_OPTION)
    .option('--json', 'print one JSON line with every verdict')
    .option('--allow-unknown-commands', 'send QEMU commands, drivers and objects the tool does not model (the sandbox still holds)')
    .action(async (files: string[], flags: ReplayFlags) => setCode(await replay(files, flags)));
}

type Row = { readonly file: string; readonly verdict: ReplayVerdict | { readonly kind: 'bad-file'; readonly reason: string } };

async function replayOne(file: string, flags: ReplayFlags, qemu: ProbedBuild | undefined): Promise<Row> {
  const loaded = await loadFixtureFile(file);
  if (!loaded.ok) return { file, verdict: { kind: 'bad-file', reason: loaded.error.message } };
  const explicit = flags.quirk.length > 0 || flags.fix.length > 0;
  const progress = stepProgress((s) => void process.stderr.write(s), process.stderr.isTTY === true, basename(file));
  try {
    const verdict = await replayFixture(loaded.fixture, {
      target: flags.target,
      ...(qemu ? { qemu } : {}),
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
  // QEMU is asked for (and must answer) only when it runs: --target qemu, or --qemu given
  const wantsQemu = flags.target === 'qemu' || flags.qemu !== undefined;
  const qemu = wantsQemu ? await buildOrSay('replay', flags.qemu) : undefined;
  if (wantsQemu && !qemu) return 2;
  const rows: Row[] = [];
  // which build, said once before the first verdict that ran (a refused file's line comes alone)
  let said = qemu === undefined;
  for (const f of files) {
    const row = await replayOne(f, flags, qemu);
    rows.push(row);
    const t = text(row);
    if (!said && !t.problem && qemu) {
      said = true;
      process.stderr.write(`bgcheck replay: beside ${qemu.build.daemon} (${describeIdentity(qemu.identity)})\n`);
    }
    (t.problem ? process.stderr : process.stdout).write(`${t.line}\n`);
  }
  if (flags.json) process.stdout.write(JSON.stringify(rows) + '\n');
  if (rows.some((r) => text(r).problem)) return 2;
  return rows.some((r) => r.verdict.kind === 'unexpected') ? 1 : 0;
}
