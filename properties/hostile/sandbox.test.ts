// Issue 14 item 1: QEMU touches only its sandbox. The argument check names what a fixture would reach; the fixture
// is refused as unsafe and a canary file outside is untouched; and the mount namespace holds even without the check.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process.ts';

import { driverByName } from '../../impl/drivers/registry.ts';
import { BLOCK_COMMAND_NAMES } from '../../qmp/command-name.ts';
import { parseScenario } from '../../qmp/scenario.ts';
import type { Scenario } from '../../qmp/scenario.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { isQemuAvailable } from '../../qemu/available.ts';
import { QmpClient } from '../../qemu/client.ts';
import { makeWorkDir, spawnDaemon } from '../../qemu/daemon.ts';
import { checkScenarioForQemu } from '../../qemu/sandbox/check-scenario.ts';
import { sandboxMode } from '../../qemu/sandbox/launcher.ts';
import { KNOWN_COMMANDS, KNOWN_DRIVERS } from '../../qemu/sandbox/vocabulary.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-sandbox-test-');

const one = (cmd: QmpCommand, images: Scenario['images'] = []): string[] => {
  const v = checkScenarioForQemu({ images, commands: [cmd] });
  return v.ok ? [] : v.problems.map((p) => p.at);
};

describe('the argument check: every host path a command names is a plain file in the run directory', () => {
  it.each<[string, QmpCommand, string]>([
    ['a file node at any depth', { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'q', file: { driver: 'raw', file: { driver: 'file', filename: '/etc/shadow' } } } }, 'commands[0].arguments.file.file.filename'],
    ['a path out of the directory', { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '../x' } }, 'commands[0].arguments.filename'],
    ['a json: file name', { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: 'json:{"driver":"file","filename":"x"}' } }, 'commands[0].arguments.filename'],
    ['a blkdebug config', { execute: 'blockdev-add', arguments: { driver: 'blkdebug', 'node-name': 'b', config: '/etc/blk.conf', image: 'f' } }, 'commands[0].arguments.config'],
    ['a reopened file', { execute: 'blockdev-reopen', arguments: { options: [{ driver: 'raw', 'node-name': 'r', file: { driver: 'file', filename: '/dev/sda' } }] } }, 'commands[0].arguments.options[0].file.filename'],
    ['a drive-mirror target', { execute: 'drive-mirror', arguments: { device: 'd', target: '/tmp/elsewhere.qcow2', sync: 'full' } }, 'commands[0].arguments.target'],
    ['a backing file name written into an image', { execute: 'block-stream', arguments: { device: 'd', 'backing-file': 'json:{"driver":"file","filename":"/etc/passwd"}' } }, 'commands[0].arguments.backing-file'],
    ['an NBD socket elsewhere', { execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/tmp/nbd.sock' } } } }, 'commands[0].arguments.addr.data.path'],
    ['an NBD server on the network', { execute: 'nbd-server-start', arguments: { addr: { type: 'inet', data: { host: '0.0.0.0', port: '10809' } } } }, 'commands[0].arguments.addr.type'],
    ['a command QEMU has and the tool does not model', { execute: 'blockdev-create', arguments: { 'job-id': 'c', options: { driver: 'file', filename: 'x', size: 0 } } }, 'commands[0].execute'],
    ['a driver QEMU has and the tool does not model', { execute: 'blockdev-add', arguments: { driver: 'vvfat', 'node-name': 'v', dir: '/etc' } }, 'commands[0].arguments.driver'],
    ['an object type QEMU has and the tool does not model', { execute: 'object-add', arguments: { 'qom-type': 'secret', id: 's', file: '/etc/shadow' } }, 'commands[0].arguments.qom-type'],
  ])('refuses %s', (_what, cmd, at) => {
    expect(one(cmd)).toContain(at);
  });

  it("refuses an image's backing file outside the directory (qemu-img would open it)", () => {
    expect(one({ execute: 'query-jobs' }, [{ filename: 'top.qcow2', format: 'qcow2', size: 65536, backing: '/etc/passwd' }])).toEqual(['images[0].backing']);
  });

  it('lets through plain names, and names no QEMU has (QEMU can only refuse them)', () => {
    expect(one({ execute: 'drive-mirror', arguments: { device: 'd', target: 'copy.qcow2', sync: 'full' } })).toEqual([]);
    expect(one({ execute: 'no-such-command' })).toEqual([]);
    expect(one({ execute: 'blockdev-add', arguments: { driver: 'nosuch', 'node-name': 'x' } })).toEqual([]);
  });

  it('with --allow-unknown-commands, sends unknown commands but still checks their host paths', () => {
    const create = (filename: string): QmpCommand => ({ execute: 'blockdev-create', arguments: { 'job-id': 'c', options: { driver: 'file', filename, size: 0 } } });
    expect(checkScenarioForQemu({ images: [], commands: [create('new.img')] }, { allowUnknownCommands: true }).ok).toBe(true);
    const v = checkScenarioForQemu({ images: [], commands: [create('/some/host/file')] }, { allowUnknownCommands: true });
    expect(v.ok ? [] : v.problems.map((p) => p.at)).toEqual(['commands[0].arguments.options.filename']);
  });

  it('passes every scenario of the corpus and every stored fixture (the check refuses nothing the project runs)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    for (const dir of ['impl/conformance/scenarios', 'shrunk-cases']) {
      for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.json'))) {
        const j = JSON.parse(readFileSync(join(root, dir, f), 'utf8')) as { scenario?: unknown };
        const s = parseScenario(j.scenario ?? j, f);
        if (!s.ok) throw new Error(s.error.message);
        expect(checkScenarioForQemu(s.scenario), f).toEqual({ ok: true });
      }
    }
  });

  it("knows the impl's commands and drivers, no more", () => {
    expect([...KNOWN_COMMANDS].sort()).toEqual([...BLOCK_COMMAND_NAMES, 'qmp_capabilities', 'quit'].sort());
    expect(KNOWN_DRIVERS.every((d) => driverByName(d) !== undefined)).toBe(true);
  });
});

/** A fixture whose only command is `cmd`, written into `dir`. */
function fixtureWith(dir: string, cmd: QmpCommand, images: Scenario['images'] = []): string {
  const f = {
    format: 2, name: '0001-hostile', status: 'new', scenario: { images, commands: [cmd] },
    finding: { detector: 'disagreement', step: 0, message: 'm', signature: `disagreement/${cmd.execute}/-`, against: 'qemu' },
    provenance: { seed: 1, path: '', tool: '0.1.0', quirks: [], fixes: [] },
    expect: { reproduces: { quirks: [], fixes: [] }, passes: null },
  };
  const path = join(dir, '0001-hostile.json');
  writeFileSync(path, JSON.stringify(f));
  return path;
}

/** A host file that must come through a hostile run byte for byte, mtime and all. */
function canary(dir: string): { readonly path: string; untouched(): boolean } {
  const path = join(dir, 'canary');
  writeFileSync(path, 'precious bytes\n');
  const before = statSync(path).mtimeMs;
  return { path, untouched: () => readFileSync(path, 'utf8') === 'precious bytes\n' && statSync(path).mtimeMs === before };
}

describe('hostile fixtures never reach QEMU (issue 14 item 1)', () => {
  it('blockdev-create truncating a host file: refused as unsafe (exit 2), named, the canary untouched', async () => {
    const dir = tempDir();
    const c = canary(dir);
    const file = fixtureWith(dir, { execute: 'blockdev-create', arguments: { 'job-id': 'c', options: { driver: 'file', filename: c.path, size: 0 } } });
    for (const args of [['--target', 'qemu'], ['--target', 'qemu', '--allow-unknown-commands'], []]) {
      const r = await runCliProcess(['replay', file, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^0001-hostile\.json: unsafe for QEMU, not run: scenario\.commands\[0\]\.(execute|arguments\.options\.filename): blockdev-create: /);
    }
    // nor handed to someone else's QEMU as a script
    const exported = await runCliProcess(['export', file, '--as', 'bash']);
    expect([exported.code, exported.out]).toEqual([2, '']);
    expect(exported.err).toMatch(/^bgcheck export: 0001-hostile\.json: unsafe for QEMU, not run: /);
    expect(c.untouched()).toBe(true);
  });

  it('a drive-mirror onto an absolute path, an image backed by a host file: refused, nothing created or opened', async () => {
    const dir = tempDir();
    const c = canary(dir);
    const target = join(dir, 'created-outside.qcow2');
    const mirror = fixtureWith(dir, { execute: 'drive-mirror', arguments: { device: 'x', target, sync: 'full', format: 'qcow2' } });
    expect((await runCliProcess(['replay', mirror, '--target', 'qemu'])).err).toMatch(/scenario\.commands\[0\]\.arguments\.target: drive-mirror: .* names a path/);
    const backed = fixtureWith(dir, { execute: 'query-jobs' }, [{ filename: 'top.qcow2', format: 'qcow2', size: 65536, backing: c.path }]);
    expect((await runCliProcess(['replay', backed, '--target', 'qemu'])).err).toMatch(/scenario\.images\[0\]\.backing: /);
    expect(readdirSync(dir).sort()).toEqual(['0001-hostile.json', 'canary']);
    expect(c.untouched()).toBe(true);
  });

  it.skipIf(!isQemuAvailable() || sandboxMode().kind !== 'bwrap')(
    'the mount namespace holds without the check: QEMU told to truncate the canary cannot (needs QEMU and bwrap)',
    async () => {
      const dir = tempDir();
      const c = canary(dir);
      const work = await makeWorkDir();
      const conn = await QmpClient.connect(spawnDaemon(work));
      if (!conn.ok) throw new Error(conn.error.message);
      // straight to the client: no argument check on this path
      const r = await conn.client.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'c', options: { driver: 'file', filename: c.path, size: 0 } } });
      expect('return' in r).toBe(true);
      for (let i = 0; i < 50; i++) {
        const jobs = await conn.client.execute({ execute: 'query-jobs' });
        if ('return' in jobs && JSON.stringify(jobs.return).includes('"concluded"')) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      const jobs = await conn.client.execute({ execute: 'query-jobs' });
      expect(JSON.stringify(jobs)).toMatch(/Read-only file system/);
      await conn.client.close();
      expect(c.untouched()).toBe(true);
    },
    60_000,
  );
});
