// `bgcheck show` and `bgcheck export` from the command line: outputs, formats, and every bad use refused up front.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const dir = tempDirs('bgcheck-show-cli-', 'all')();
const F8 = 'shrunk-cases/0008-edge-perms-match-driver-rules-blockdev-snapshot.json';
const SCENARIO = 'impl/conformance/scenarios/commit-02-active.json';

describe('bgcheck show', () => {
  it('writes one self-contained page a fixture or scenario', async () => {
    const r = await runCli(['show', F8, SCENARIO, '--out', join(dir, 'pages')]);
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(join(dir, 'pages', '0008-edge-perms-match-driver-rules-blockdev-snapshot.html'), 'utf8');
    expect(page).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(page).not.toMatch(/\b(src|href)="(https?:|\/\/)/);
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(existsSync(join(dir, 'pages', 'commit-02-active.html'))).toBe(true);
  });

  it('--format svg and dot write one file a step', async () => {
    for (const format of ['svg', 'dot']) {
      const out = join(dir, format);
      const r = await runCli(['show', F8, '--format', format, '--out', out]);
      expect(r.code, r.err).toBe(0);
      expect(readdirSync(out).sort()).toEqual([0, 1, 2].map((i) => `0008-edge-perms-match-driver-rules-blockdev-snapshot-step-0${i}.${format}`));
    }
    expect(readFileSync(join(dir, 'dot', '0008-edge-perms-match-driver-rules-blockdev-snapshot-step-02.dot'), 'utf8')).toMatch(/^digraph blockgraph \{/);
  });

  it('--out FILE.html for one input', async () => {
    const r = await runCli(['show', F8, '--out', join(dir, 'one.html')]);
    expect(r.code, r.err).toBe(0);
    expect(statSync(join(dir, 'one.html')).size).toBeGreaterThan(5000);
  });

  it('refuses what does not fit together, and names a bad file', async () => {
    expect((await runCli(['show', F8, SCENARIO, '--out', join(dir, 'two.html')])).code).toBe(2);
    expect((await runCli(['show', F8, '--format', 'svg', '--out', join(dir, 'x.html')])).code).toBe(2);
    expect((await runCli(['show', F8, '--qemu', '/nowhere'])).code).toBe(2);
    expect((await runCli(['show', F8, '--target', 'model'])).code).toBe(2);
    expect((await runCli(['show', F8, '--target', 'qemu', '--qemu', '/nowhere', '--out', dir])).err).toContain('--qemu: no executable qemu-storage-daemon at /nowhere');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ images: [], commands: [{ execute: 3 }] }));
    const r = await runCli(['show', bad, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.json: commands[0].execute: expected a string');
  });
});

describe('bgcheck export', () => {
  it('--as qmp and bash print to stdout; --as iotest writes NAME and NAME.out, the test executable', async () => {
    const q = await runCli(['export', F8, '--as', 'qmp']);
    expect(q.code).toBe(0);
    expect(q.out.trimEnd().split('\n')).toHaveLength(3);
    const b = await runCli(['export', F8, '--as', 'bash']);
    expect(b.out).toMatch(/^#!\/usr\/bin\/env bash\n/);
    const t = await runCli(['export', F8, '--as', 'iotest', '--out', join(dir, 'iotests')]);
    expect(t.code, t.err).toBe(0);
    const test = join(dir, 'iotests', 'bgcheck-0008-edge-perms-match-driver-rul');
    expect(statSync(test).mode & 0o111).not.toBe(0);
    expect(readFileSync(test, 'utf8')).toMatch(/^#!\/usr\/bin\/env python3\n# group: rw quick\n# SPDX-License-Identifier: GPL-2.0-or-later\n/);
    expect(readFileSync(`${test}.out`, 'utf8')).toBe('.\n----------------------------------------------------------------------\nRan 1 tests\n\nOK\n');
  });

  it('refuses an iotest without a finding, and a missing --as', async () => {
    const r = await runCli(['export', SCENARIO, '--as', 'iotest', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('an iotest needs a fixture');
    expect((await runCli(['export', F8])).code).toBe(2);
    expect((await runCli(['export', F8, '--as', 'c'])).code).toBe(2);
  });
});
