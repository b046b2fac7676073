// Every crash fixture's bash export, run on the installed QEMU 7.2: the daemon dies at the finding's step, of the
// same site (qmp/crash.ts reads QEMU's last words), and the script exits with the daemon's status; a hang fixture's
// script says the daemon hangs at its step.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtureFile } from '../properties/fixtures/load-fixtures.ts';
import { QEMU_ABORT, QEMU_HANG } from '../properties/run/finding.ts';
import { isQemuAvailable } from '../qemu/available.ts';
import { qmpScript } from '../qemu/qmp-script.ts';
import { crashSite, siteKey } from '../qmp/crash.ts';
import type { Scenario } from '../qmp/scenario.ts';
import { tempDirs } from '../qmp/temp-dirs.test-support.ts';

const files = readdirSync('shrunk-cases').filter((f) => f.endsWith('.json')).sort();
const fixtures = (await Promise.all(files.map((f) => loadFixtureFile(join('shrunk-cases', f))))).flatMap((r) => (r.ok ? [r.fixture] : []));
const crashes = fixtures.filter((f) => f.status === 'qemu-defect' && f.finding.detector === QEMU_ABORT);
// the script sends QMP only: observation steps (qemu-img over NBD) are bgcheck's
const hangs = fixtures.filter((f) => f.status === 'qemu-defect' && f.finding.detector === QEMU_HANG && !f.scenario.commands.some((c) => c.execute.startsWith('observe-')));
const dir = tempDirs('bgcheck-bash-', 'all')();

/** QEMU's own words: the script's and bash's lines about the death are left out. */
const qemuStderr = (s: string): string =>
  s
    .split('\n')
    .filter((l) => !l.startsWith('bgcheck: ') && !l.includes(' coproc QSD_PROC '))
    .join('\n');

function runScript(name: string, scenario: Scenario): SpawnSyncReturns<string> {
  const script = join(dir, `${name}.sh`);
  writeFileSync(script, qmpScript(scenario));
  return spawnSync('bash', [script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, QMP_TIMEOUT: '15' } });
}

describe.skipIf(!isQemuAvailable())('bash export of every crash fixture on QEMU 7.2 (skipped without qemu-storage-daemon and qemu-img)', () => {
  it('has crash fixtures to run', () => expect(crashes.length).toBeGreaterThanOrEqual(10));

  it('has a hang fixture to run', () => expect(hangs.map((f) => f.name)).toContain('0011-qemu-hang-blockdev-add-qcow2'));

  it.each(crashes.map((f) => [f.name, f] as const))('%s dies at its step', (name, f) => {
    const r = runScript(name, f.scenario);
    const died = /bgcheck: qemu-storage-daemon died at step (\d+) \(exit status (\d+)\)/.exec(r.stderr);
    const at = Number(died?.[1]);
    // a job that crashes right after it starts kills QEMU one command before the impl reports it, with or without
    // its reply getting out (README: -RACY- scenarios)
    const early = at === f.finding.step - 1 && r.stdout.includes(`"status": "running", "id"`);
    expect(early ? f.finding.step : at, r.stderr).toBe(f.finding.step);
    expect(r.status).toBe(Number(died?.[2]));
    expect([134, 139]).toContain(r.status);
    expect(siteKey(crashSite(qemuStderr(r.stderr)))).toBe(f.finding.signature.split('/').at(-1));
    // the steps before it went through and printed their graph
    for (let i = 0; i < at; i++) expect(r.stdout).toContain(`"id": "bgcheck-graph-${i}"`);
  });

  it.each(hangs.map((f) => [f.name, f] as const))('%s hangs at its step', (name, f) => {
    const r = runScript(name, f.scenario);
    expect(r.stderr).toContain(`bgcheck: qemu-storage-daemon hangs at step ${f.finding.step} (no reply within 15 s)`);
    expect(r.status).toBe(124);
  });
});
