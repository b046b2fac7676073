// `bgcheck export FILE... --as iotest|bash|qmp`: a finding as something to hand to QEMU developers.
import type { Command } from 'commander';
import { Option } from 'commander';
import { join } from 'node:path';
import { iotestCheck } from '../../export/iotest-checks.ts';
import { iotestPython } from '../../export/iotest-python.ts';
import { qmpLines } from '../../export/qmp-lines.ts';
import { qmpScript } from '../../qemu/qmp-script.ts';
import { checkScenarioForQemu, describeUnsafe } from '../../qemu/sandbox/check-scenario.ts';
import { findingWords } from '../../show/finding-words.ts';
import { loadInput, type Input } from '../../show/load-input.ts';
import { writeOutput } from '../../show/write-output.ts';

type As = 'iotest' | 'bash' | 'qmp';

interface ExportFlags {
  readonly as: As;
  readonly out?: string;
  readonly allowUnknownCommands?: boolean;
}

interface OutFile {
  readonly name: string;
  readonly text: string;
  readonly mode: number;
}

export function registerExport(program: Command, setCode: (c: number) => void): void {
  program
    .command('export')
    .description('turn fixtures (or scenarios) into a QEMU iotest, a bash reproduction, or plain QMP lines')
    .argument('<files...>', 'fixture files (shrunk-cases/NNNN-*.json); bash and qmp also take scenario files')
    .addOption(new Option('--as <kind>', 'iotest: tests/qemu-iotests/tests/NAME + NAME.out; bash: a script; qmp: one command a line').choices(['iotest', 'bash', 'qmp']).makeOptionMandatory())
    .option('--out <dir>', 'write the files into DIR (default: bash and qmp print to stdout, iotest writes into the current directory)')
    .option('--allow-unknown-commands', 'export commands, drivers and objects QEMU has that the tool does not model (host paths stay refused)')
    .action(async (files: string[], flags: ExportFlags) => setCode(await exportAll(files, flags)));
}

async function filesFor(input: Input, as: As): Promise<OutFile[] | string> {
  switch (as) {
    case 'qmp':
      return [{ name: `${input.name}.qmp`, text: qmpLines(input.scenario), mode: 0o644 }];
    case 'bash': {
      const title = input.kind === 'fixture' ? [`${input.name}: ${findingWords(input.fixture)}`, `signature ${input.fixture.finding.signature}`] : [input.name];
      return [{ name: `${input.name}.sh`, text: qmpScript(input.scenario, { title }), mode: 0o755 }];
    }
    case 'iotest': {
      if (input.kind !== 'fixture') return `${input.name}: an iotest needs a fixture (a finding to assert against), not a plain scenario`;
      const check = await iotestCheck(input.fixture);
      if (!check.ok) return check.message;
      const t = iotestPython(input.fixture, check.check);
      return [
        { name: t.name, text: t.test, mode: 0o755 },
        { name: `${t.name}.out`, text: t.out, mode: 0o644 },
      ];
    }
  }
}

async function exportAll(files: readonly string[], flags: ExportFlags): Promise<number> {
  let code = 0;
  for (const file of files) {
    const loaded = await loadInput(file);
    // what we hand out runs on someone's QEMU: the same argument check as our own runs
    const safe = loaded.ok ? checkScenarioForQemu(loaded.input.scenario, { allowUnknownCommands: flags.allowUnknownCommands === true }) : { ok: true as const };
    const made = !loaded.ok ? loaded.message : !safe.ok ? describeUnsafe(`${loaded.input.name}.json`, safe) : await filesFor(loaded.input, flags.as);
    if (typeof made === 'string') {
      process.stderr.write(`bgcheck export: ${made}\n`);
      code = 2;
      continue;
    }
    if (flags.out === undefined && flags.as !== 'iotest') {
      for (const f of made) process.stdout.write(f.text);
      continue;
    }
    for (const f of made) {
      const w = await writeOutput(join(flags.out ?? '.', f.name), f.text, f.mode);
      if (!w.ok) {
        process.stderr.write(`bgcheck export: ${w.message}\n`);
        return 2;
      }
      process.stdout.write(`${w.path}\n`);
    }
  }
  return code;
}
