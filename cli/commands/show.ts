// `bgcheck show FILE...`: each fixture or scenario replayed and drawn, one self-contained HTML page (or SVG/DOT a step).
import type { Command } from 'commander';
import { Option } from 'commander';
import { join } from 'node:path';
import { graphRenderer } from '../../show/layout.ts';
import { loadInput } from '../../show/load-input.ts';
import { showInput } from '../../show/show-input.ts';
import type { TargetLabel } from '../../show/step-trace.ts';
import { writeOutput } from '../../show/write-output.ts';

type Format = 'html' | 'svg' | 'dot';

interface ShowFlags {
  readonly out?: string;
  readonly format: Format;
  readonly target: TargetLabel;
  readonly qemu?: string;
}

export function registerShow(program: Command, setCode: (c: number) => void): void {
  program
    .command('show')
    .description('replay fixtures or scenarios and draw the block graph after every step: one HTML page each (opens from disk)')
    .argument('<files...>', 'fixture files (shrunk-cases/NNNN-*.json) or scenario files')
    .option('--out <path>', 'FILE.html for one input; else a directory (default: the current one)')
    .addOption(new Option('--format <format>', 'html: one page an input; svg or dot: one file a step').choices(['html', 'svg', 'dot']).default('html'))
    .addOption(new Option('--target <target>', 'what to replay on (the impl uses a fixture\'s quirks and fixes)').choices(['impl', 'qemu']).default('impl'))
    .option('--qemu <path>', 'with --target qemu: the qemu-storage-daemon binary, or a directory holding it')
    .action(async (files: string[], flags: ShowFlags) => setCode(await show(files, flags)));
}

/** Where each input's output goes; undefined with a message when the options do not fit together. */
function outputPlan(files: readonly string[], flags: ShowFlags): { readonly dir: string; readonly page?: string } | string {
  const out = flags.out ?? '.';
  if (out.endsWith('.html')) {
    if (flags.format !== 'html') return `--out ${out}: --format ${flags.format} writes one file a step into a directory`;
    if (files.length !== 1) return `--out ${out}: one page file for ${files.length} inputs; give a directory instead`;
    return { dir: '.', page: out };
  }
  return { dir: out };
}

async function show(files: readonly string[], flags: ShowFlags): Promise<number> {
  const plan = outputPlan(files, flags);
  if (typeof plan === 'string') {
    process.stderr.write(`bgcheck show: ${plan}\n`);
    return 2;
  }
  if (flags.qemu !== undefined && flags.target !== 'qemu') {
    process.stderr.write('bgcheck show: --qemu needs --target qemu\n');
    return 2;
  }
  const renderer = await graphRenderer();
  let code = 0;
  for (const file of files) {
    const loaded = await loadInput(file);
    if (!loaded.ok) {
      process.stderr.write(`bgcheck show: ${loaded.message}\n`);
      code = 2;
      continue;
    }
    const shown = await showInput(loaded.input, { target: flags.target, ...(flags.qemu === undefined ? {} : { qemu: flags.qemu }) }, renderer);
    if (!shown.ok) {
      process.stderr.write(`bgcheck show: ${shown.message}\n`);
      code = 2;
      continue;
    }
    const outputs =
      flags.format === 'html'
        ? [{ path: plan.page ?? join(plan.dir, `${loaded.input.name}.html`), text: shown.html }]
        : shown.files.map((f) => ({ path: join(plan.dir, `${f.name}.${flags.format}`), text: flags.format === 'svg' ? f.svg : f.dot }));
    for (const o of outputs) {
      const w = await writeOutput(o.path, o.text);
      if (!w.ok) {
        process.stderr.write(`bgcheck show: ${w.message}\n`);
        return 2;
      }
      process.stdout.write(`${w.path}\n`);
    }
  }
  return code;
}
