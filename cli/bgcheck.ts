// bgcheck: the command-line entry; each subcommand lives in cli/commands/<name>.ts.
import { Command, CommanderError } from 'commander';
import { registerQmp } from './commands/qmp.ts';
import { registerRecord } from './commands/record.ts';
import { registerFuzz } from './commands/fuzz.ts';
import { registerReplay } from './commands/replay.ts';
import { registerBench } from './commands/bench.ts';
import { registerTriage } from './commands/triage.ts';
import { registerShow } from './commands/show.ts';
import { registerExport } from './commands/export.ts';
import { registerExplore } from './commands/explore.ts';

export const TOOL_VERSION = '0.1.0';

/** Exit codes: 0 nothing new, 1 a finding/failure, 2 bad usage. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('bgcheck')
    .description('Property-based model checker for the QEMU block graph (the impl is QEMU 7.2 as observed; any build can be put under test)')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  const setCode = (c: number): void => {
    code = c;
  };
  registerQmp(program, setCode);
  registerRecord(program, setCode);
  registerFuzz(program, setCode);
  registerReplay(program, setCode);
  registerTriage(program, setCode);
  registerBench(program, setCode);
  registerShow(program, setCode);
  registerExport(program, setCode);
  registerExplore(program, setCode);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
  return code;
}
