// bgcheck fuzz --target qemu: a real build is the system under test; findings are shrunk on it and name it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QEMU_10_HINT, isQemuAvailable, qemu10Dir } from '../../qemu/available.ts';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-fuzz-qemu-test-');

describe('bgcheck fuzz --target qemu, usage', () => {
  it('refuses what only the impl can do, up front with exit 2', async () => {
    expect((await runCli(['fuzz', '--target', 'qemu', '--check', 'model', '--runs', '1'])).err).toMatch(/with --target qemu the build is judged by the invariants alone/);
    expect((await runCli(['fuzz', '--target', 'qemu', '--quirk', 'stale-child-options', '--runs', '1'])).code).toBe(2);
    expect((await runCli(['fuzz', '--jobs', '2', '--runs', '1'])).err).toMatch(/several jobs need QEMU/);
    expect((await runCli(['fuzz', '--qemu', '/usr/bin', '--runs', '1'])).err).toMatch(/--qemu: nothing runs QEMU here/);
  });
});

const build = qemu10Dir() ?? (isQemuAvailable() ? '/usr/bin' : undefined);

describe.skipIf(build === undefined)(`bgcheck fuzz --target qemu on a real build (skipped: no QEMU; ${QEMU_10_HINT})`, () => {
  it('fuzzes the build with two daemons at once and stores findings made on it', async () => {
    const out = tempDir();
    const r = await runCli(['fuzz', '--target', 'qemu', '--qemu', build ?? '', '--runs', '8', '--seed', '4', '--jobs', '2', '--max-steps', '12', '--shrink-time', '20', '--json', '--out', out]);
    expect(r.err).toMatch(/^bgcheck fuzz: fuzzing .*qemu-storage-daemon \(QEMU \d+\.\d+\.\d+/);
    const summary = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '{}') as { runs: number; steps: number; build: { version: string } };
    expect(summary.runs).toBe(8);
    expect(summary.build.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.out).toMatch(/^bgcheck fuzz: seed 4, 8 runs, \d+ steps on QEMU \d+\.\d+\.\d+/);
    expect(summary.steps).toBeGreaterThan(8);
    const files = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(r.code).toBe(files.length > 0 ? 1 : 0);
    for (const f of files) {
      const fx = JSON.parse(readFileSync(join(out, f), 'utf8')) as { format: number; provenance: { target: string; build: { version: string } }; expect: { builds: Record<string, string> } };
      expect([fx.format, fx.provenance.target, Object.values(fx.expect.builds)]).toEqual([3, 'qemu', ['reproduces']]);
      expect(fx.provenance.build.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  }, 600_000);
});
