// bgcheck triage on fake builds: the verdict per build, held against what the fixture records for its version.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBuild } from '../../qemu/fixtures/fake-build.ts';
import type { FakeBuild } from '../../qemu/fixtures/fake-build.ts';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const CASE = fileURLToPath(new URL('../../shrunk-cases/0001-qemu-abort-blockdev-reopen.json', import.meta.url));
const made: FakeBuild[] = [];
const tempDir = tempDirs('bgcheck-triage-test-');
const fake = (o: Parameters<typeof fakeBuild>[0]): string => {
  const b = fakeBuild(o);
  made.push(b);
  return b.dir;
};
afterEach(() => {
  for (const b of made.splice(0)) b.remove();
});

interface Json {
  fixtures: { fixture: string; verdicts: { version: string; kind: string; detail: string; matches: boolean }[] }[];
}

describe('bgcheck triage', () => {
  it('says reproduces on an unpatched build, fixed on a patched one, differs on one that hangs', async () => {
    const r = await runCli(['triage', CASE, '--qemu', fake({ version: '10.0.2', reopen: 'assert' }), '--qemu', fake({ version: '10.0.3', reopen: 'error' }), '--qemu', fake({ version: '9.9.9', reopen: 'hang' }), '--timeout', '500', '--json']);
    const j = JSON.parse(r.out) as Json;
    expect(j.fixtures[0]?.verdicts.map((v) => [v.version, v.kind, v.matches])).toEqual([
      ['10.0.2', 'reproduces', true],
      // 10.0.3 is on the 10.0 branch, whose newest record (10.0.2) says reproduces: this build fixed it
      ['10.0.3', 'fixed', false],
      ['9.9.9', 'differs', true],
    ]);
    expect(j.fixtures[0]?.verdicts[2]?.detail).toBe('step 0: blockdev-reopen: hang');
    expect(r.code).toBe(1);
  });

  it('exits 0 when every verdict is as recorded, and prints a Markdown table', async () => {
    const r = await runCli(['triage', CASE, '--qemu', fake({ version: '10.0.2', reopen: 'assert' }), '--markdown']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      '| fixture | status | finding | QEMU 10.0.2 |',
      '|---|---|---|---|',
      '| 0001-qemu-abort-blockdev-reopen | qemu-defect | `qemu-abort/-/bdrv_reopen_multiple` | reproduces |',
    ]);
  });

  it('records verdicts into the fixture for the build version with --record', async () => {
    const dir = tempDir();
    const file = join(dir, '0001-qemu-abort-blockdev-reopen.json');
    copyFileSync(CASE, file);
    const r = await runCli(['triage', file, '--qemu', fake({ version: '11.0.0', reopen: 'error' }), '--record']);
    expect(r.code).toBe(0);
    const builds = (JSON.parse(readFileSync(file, 'utf8')) as { expect: { builds: Record<string, string> } }).expect.builds;
    expect(builds['11.0.0']).toBe('fixed');
    expect(builds['7.2.22']).toBe('reproduces');
  });

  it('refuses a missing build up front with one line and exit 2', async () => {
    const r = await runCli(['triage', CASE, '--qemu', '/nonexistent/qemu']);
    expect([r.code, r.err]).toEqual([2, 'bgcheck triage: --qemu /nonexistent/qemu: /nonexistent/qemu is neither a directory nor an executable program\n']);
    const f = await runCli(['fuzz', '--target', 'qemu', '--qemu', '/nonexistent/qemu', '--runs', '1']);
    expect([f.code, f.err]).toEqual([2, 'bgcheck fuzz: --qemu /nonexistent/qemu: /nonexistent/qemu is neither a directory nor an executable program\n']);
    const b = await runCli(['triage', CASE, '--qemu', fake({ broken: true })]);
    expect([b.code, b.err.split('\n').length]).toEqual([2, 2]);
  });
});
