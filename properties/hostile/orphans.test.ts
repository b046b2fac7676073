// Issue 14 item 6: no daemon outlives the tool, even on SIGKILL, and the next start removes the dead run's directory,
// only ever a dead one's: other people's live daemons run here at the same time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQemuAvailable } from '../../qemu/available.ts';
import { processStartTime, removeStaleWorkDirs } from '../../qemu/sandbox/stale-dirs.ts';
import { WORK_DIR_PREFIX } from '../../qemu/sandbox/work-dir.ts';
import { spawnCli, waitFor } from './cli-process.ts';
import { descendants, isRunning } from './processes.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-orphans-test-');

/** A pid that was just used and is free now. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid ?? 999_999;
}

describe('stale work dirs (issue 14 item 5)', () => {
  it("removes a dead owner's directory and nothing else", () => {
    const root = tempDir();
    const make = (name: string, owner?: object): string => {
      const d = join(root, name);
      mkdirSync(join(d, 'run'), { recursive: true });
      if (owner) writeFileSync(join(d, 'owner.json'), JSON.stringify(owner));
      return name;
    };
    const dead = make(`${WORK_DIR_PREFIX}dead`, { pid: deadPid(), start: '1' });
    const recycled = make(`${WORK_DIR_PREFIX}recycled`, { pid: process.pid, start: 'not-my-start' });
    make(`${WORK_DIR_PREFIX}live`, { pid: process.pid, start: processStartTime(process.pid) });
    make(`${WORK_DIR_PREFIX}no-owner`);
    make(`${WORK_DIR_PREFIX}garbled`, { pid: 'x' });
    make('someone-else-dead', { pid: deadPid(), start: '1' });
    expect(removeStaleWorkDirs(root, WORK_DIR_PREFIX).sort()).toEqual([dead, recycled].sort());
    expect(readdirSync(root).sort()).toEqual([`${WORK_DIR_PREFIX}garbled`, `${WORK_DIR_PREFIX}live`, `${WORK_DIR_PREFIX}no-owner`, 'someone-else-dead']);
  });
});

/** The work dirs (in the system temp dir) a process owns. */
function ownedBy(pid: number): string[] {
  return readdirSync(tmpdir())
    .filter((n) => n.startsWith(WORK_DIR_PREFIX))
    .filter((n) => {
      try {
        return (JSON.parse(readFileSync(join(tmpdir(), n, 'owner.json'), 'utf8')) as { pid?: unknown }).pid === pid;
      } catch {
        return false;
      }
    });
}

describe.skipIf(!isQemuAvailable())('SIGKILL of the tool with daemons running (issue 14 item 6; needs QEMU)', () => {
  it.each([['in bwrap', {}], ['without bwrap (setpriv --pdeathsig)', { BGCHECK_SANDBOX: 'off' }]] as const)(
    '%s: every daemon is gone within seconds, and the next start removes its directory',
    async (_how, env) => {
      const out = tempDir();
      const p = spawnCli(['fuzz', '--check', 'qemu', '--seed', '3', '--runs', '400', '--out', out], { env });
      const pid = p.child.pid ?? 0;
      expect(await waitFor(() => descendants(pid).some((d) => d.comm.startsWith('qemu-storage')), 60_000)).toBe(true);
      const below = descendants(pid);
      p.child.kill('SIGKILL');
      await p.exited;
      // 30 s, not 10: inside the full suite on a loaded 2-core CI box the teardown once took longer (an orphan never goes)
      expect(await waitFor(() => below.every((d) => !isRunning(d.pid)), 30_000)).toBe(true);
      const stale = ownedBy(pid);
      // the next run starts by sweeping: its own dir, and the dead one's gone
      const next = spawnCli(['fuzz', '--check', 'qemu', '--seed', '4', '--runs', '1', '--out', out], { env });
      expect(await next.exited).not.toBe(2);
      for (const d of stale) expect(existsSync(join(tmpdir(), d))).toBe(false);
    },
    120_000,
  );
});
