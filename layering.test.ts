// The layering rules fire: dependency-cruiser, run with the project's own config on a throw-away tree that breaks
// each rule once (and keeps every allowed direction once), reports exactly the bad imports. `npm test` runs the
// same tool on the real tree (`npm run layers`).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDirs } from './qmp/temp-dirs.test-support.ts';

const ROOT = dirname(fileURLToPath(import.meta.url));
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Importer -> imported, as `import` lines in the importer (`type` for `import type`). */
const TREE: readonly { readonly from: string; readonly to: string; readonly type?: boolean }[] = [
  // allowed: every layer may use qmp/, properties/ its targets, the commands everything
  { from: 'impl/ok.ts', to: 'qmp/vocabulary.ts' },
  { from: 'model/ok.ts', to: 'qmp/vocabulary.ts' },
  { from: 'qemu/ok.ts', to: 'qmp/vocabulary.ts' },
  { from: 'properties/ok.ts', to: 'impl/ok.ts' },
  { from: 'properties/ok.ts', to: 'model/ok.ts' },
  { from: 'properties/ok.ts', to: 'qemu/ok.ts' },
  { from: 'bench/ok.ts', to: 'properties/ok.ts' },
  { from: 'show/ok.ts', to: 'properties/ok.ts' },
  { from: 'export/ok.ts', to: 'show/ok.ts' },
  { from: 'cli/ok.ts', to: 'bench/ok.ts' },
  { from: 'cli/ok.ts', to: 'export/ok.ts' },
  // a cycle of types only is fine
  { from: 'impl/graph.ts', to: 'impl/driver.ts', type: true },
  { from: 'impl/driver.ts', to: 'impl/graph.ts', type: true },
  // forbidden
  { from: 'qmp/bad.ts', to: 'impl/ok.ts' },
  { from: 'impl/bad.ts', to: 'model/ok.ts' },
  { from: 'impl/bad.ts', to: 'qemu/ok.ts' },
  { from: 'impl/bad.ts', to: 'properties/ok.ts' },
  { from: 'model/bad.ts', to: 'impl/ok.ts', type: true },
  { from: 'qemu/bad.ts', to: 'impl/ok.ts' },
  { from: 'properties/bad.ts', to: 'cli/ok.ts' },
  { from: 'properties/bad.ts', to: 'show/ok.ts' },
  { from: 'show/bad.ts', to: 'export/ok.ts' },
  { from: 'export/bad.ts', to: 'cli/ok.ts' },
  { from: 'bench/bad.ts', to: 'cli/ok.ts' },
  { from: 'impl/ping.ts', to: 'impl/pong.ts' },
  { from: 'impl/pong.ts', to: 'impl/ping.ts' },
  { from: 'impl/lost.ts', to: 'impl/missing.ts' },
];

const EXPECTED = [
  'bench-below-the-cli: bench/bad.ts -> cli/ok.ts',
  'export-below-the-cli: export/bad.ts -> cli/ok.ts',
  'impl-imports-only-qmp: impl/bad.ts -> model/ok.ts',
  'impl-imports-only-qmp: impl/bad.ts -> properties/ok.ts',
  'impl-imports-only-qmp: impl/bad.ts -> qemu/ok.ts',
  'model-imports-only-qmp: model/bad.ts -> impl/ok.ts',
  // a cycle is reported once, at the import that closes it
  'no-runtime-cycles: impl/ping.ts -> impl/pong.ts',
  'no-unresolvable-imports: impl/lost.ts -> ../impl/missing.ts',
  'properties-below-the-commands: properties/bad.ts -> cli/ok.ts',
  'properties-below-the-commands: properties/bad.ts -> show/ok.ts',
  'qemu-imports-only-qmp: qemu/bad.ts -> impl/ok.ts',
  'qmp-imports-nothing-of-the-project: qmp/bad.ts -> impl/ok.ts',
  'show-below-the-cli: show/bad.ts -> export/ok.ts',
];

interface CruiseJson {
  readonly summary: { readonly violations: readonly { readonly from: string; readonly to: string; readonly rule: { readonly name: string } }[] };
}

function writeTree(dir: string): void {
  const files = new Map<string, string[]>();
  for (const { from, to, type } of TREE) {
    const lines = files.get(from) ?? [];
    const name = to.replace(/\W/g, '_');
    // each file exports one value, so a runtime import has something to use
    lines.push(type ? `import type { T as ${name} } from '../${to}';` : `import { v as ${name} } from '../${to}';`, `export const use_${name} = ${type ? 0 : name};`);
    files.set(from, lines);
    if (!files.has(to) && to !== 'impl/missing.ts') files.set(to, []);
  }
  for (const [file, lines] of files) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), [...lines, 'export const v = 1;', 'export type T = number;', ''].join('\n'));
  }
}

describe('layering (dependency-cruiser)', () => {
  const dir = tempDirs('bgcheck-layers-', 'all')();

  const cruise = (outputType: string): Promise<{ readonly stdout: string; readonly code: number }> =>
    promisify(execFile)(process.execPath, [CLI, '--config', CONFIG, '--output-type', outputType, 'qmp', 'impl', 'model', 'qemu', 'properties', 'show', 'export', 'bench', 'cli'], { cwd: dir }).then(
      (r) => ({ stdout: r.stdout, code: 0 }),
      (e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '', code: e.code ?? -1 }),
    );

  it('reports every import that breaks a layer, and none that keeps to them', async () => {
    writeTree(dir);
    const json = JSON.parse((await cruise('json')).stdout) as CruiseJson;
    const found = json.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect([...new Set(found)].sort()).toEqual(EXPECTED);
    // what `npm run layers` prints and fails on
    const err = await cruise('err');
    expect(err.code).toBe(EXPECTED.length);
    expect(err.stdout).toContain('qmp-imports-nothing-of-the-project: qmp/bad.ts → impl/ok.ts');
  });
});
