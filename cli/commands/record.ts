// `bgcheck record DIR`: runs scenarios on QEMU 7.2 and stores what qmprun.py --every would print.
import type { Command } from 'commander';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonArgv } from '../../qemu/build.ts';
import { describeIdentity } from '../../qemu/identity.ts';
import { runOnQemu, type RunOnQemuResult } from '../../qemu/run-on-qemu.ts';
import { QEMU_OPTION, buildOrSay } from './qemu-option.ts';
import { loadScenarioFile } from '../../qmp/load-scenario.ts';
import { formatResult } from '../../qmp/run-scenario.ts';
import { checkScenarioForQemu, describeUnsafe } from '../../qemu/sandbox/check-scenario.ts';
import { ToolHost } from '../../qemu/tool-host.ts';
import { readableDir, writableDir } from './path-options.ts';

// relative to this file, not the cwd, so `bgcheck record` works from any directory
const DEFAULT_OUT = fileURLToPath(new URL('../../impl/conformance/expected/', import.meta.url));

interface RecordOptions {
  readonly out: string;
  readonly timeout: string;
  readonly qemu?: string;
  readonly allowUnknownCommands?: boolean;
}

function usage(message: string): number {
  process.stderr.write(`bgcheck record: ${message}\n`);
  return 2;
}

export function registerRecord(program: Command, setCode: (c: number) => void): void {
  program
    .command('record')
    .description('run every *.json scenario in DIR on qemu-storage-daemon and write <name>.json results (as qmprun.py --every prints them)')
    .argument('<dir>', 'directory holding scenario files')
    .option('--out <outdir>', 'directory for the results', DEFAULT_OUT)
    .option('--timeout <ms>', 'per-command reply deadline before the daemon counts as hung', '30000')
    .option(...QEMU_OPTION)
    .option('--allow-unknown-commands', 'send QEMU commands, drivers and objects the tool does not model (the sandbox still holds)')
    .action(async (dir: string, opts: RecordOptions) => {
      setCode(await record(dir, opts));
    });
}

async function record(dir: string, opts: RecordOptions): Promise<number> {
  const timeoutMs = Number(opts.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write(`bgcheck record: --timeout: expected a positive integer, got '${opts.timeout}'\n`);
    return 2;
  }
  // every path is checked before QEMU runs once
  const src = readableDir(dir, 'DIR');
  if (!src.ok) return usage(src.message);
  const outDir = writableDir(opts.out, '--out');
  if (!outDir.ok) return usage(outDir.message);
  let files: string[];
  try {
    files = (await readdir(src.path)).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    return usage(`cannot read ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const build = await buildOrSay('record', opts.qemu);
  if (!build) return 2;
  process.stderr.write(`bgcheck record: on ${build.build.daemon} (${describeIdentity(build.identity)})\n`);
  const out = outDir.path;
  let failed = 0;
  // one host for every scenario: the helpers and kept images are shared; our exit ends them if a scenario throws
  const host = new ToolHost();
  for (const file of files) {
    const name = basename(file, '.json');
    const loaded = await loadScenarioFile(join(src.path, file));
    if (!loaded.ok) {
      failed++;
      process.stdout.write(`${name}: FAILED: ${loaded.error.message}\n`);
      continue;
    }
    const safety = { allowUnknownCommands: opts.allowUnknownCommands === true };
    const safe = checkScenarioForQemu(loaded.scenario, safety);
    if (!safe.ok) {
      failed++;
      process.stdout.write(`${name}: FAILED: ${describeUnsafe(file, safe, '')}\n`);
      continue;
    }
    const run = await runOnQemu(loaded.scenario, { every: true, timeoutMs, argv: daemonArgv(build.build), img: build.build.img, host, ...safety });
    if (run.ok) await writeAtomically(join(out, `${name}.json`), formatResult(run.result) + '\n');
    else failed++;
    process.stdout.write(`${name}: ${summary(run)}\n`);
  }
  await host.close();
  process.stdout.write(`${files.length - failed}/${files.length} recorded into ${out}\n`);
  return failed > 0 ? 1 : 0;
}

function summary(run: RunOnQemuResult): string {
  if (!run.ok) return `FAILED: ${run.error.message}`;
  const { steps, crashed } = run.result;
  const refused = steps.filter((s) => !s.ok).length;
  const last = steps[steps.length - 1];
  if (crashed === true) return `${steps.length} steps, QEMU crashed at step ${steps.length} (${last?.execute ?? '?'})`;
  return `${steps.length} steps, ${refused} refused`;
}

/** Temp file plus rename, so a reader never sees half a result. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
