// A QEMU run's private directory: /tmp/bgcheck-qemu-XXXX/ holds owner.json (who runs it) and run/ (QEMU's only
// writable place), so a fixture cannot forge its owner. Removed on close or exit; a dead owner's at the next start.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from '../exit-cleanup.ts';
import { processStartTime, removeStaleWorkDirs } from './stale-dirs.ts';

export const WORK_DIR_PREFIX = 'bgcheck-qemu-';
export const OWNER_FILE = 'owner.json';

/** A 0700 temp dir that is removed by remove() or, failing that, at process exit. */
export interface WorkDir {
  /** Where QEMU runs: the only directory it may write. */
  readonly path: string;
  remove(): Promise<void>;
}

export interface Owner {
  readonly pid: number;
  /** /proc/PID/stat's start time, so a recycled pid is not taken for the owner. */
  readonly start: string | null;
}

const swept: { done?: boolean } = {};

export async function makeWorkDir(prefix = WORK_DIR_PREFIX): Promise<WorkDir> {
  if (swept.done !== true) {
    swept.done = true;
    removeStaleWorkDirs(tmpdir(), prefix);
  }
  const outer = await mkdtemp(join(tmpdir(), prefix));
  // mkdtemp already uses 0700; say it explicitly since images may hold anything
  chmodSync(outer, 0o700);
  const unregister = onProcessExit(() => rmSync(outer, { recursive: true, force: true }));
  const owner: Owner = { pid: process.pid, start: processStartTime(process.pid) };
  writeFileSync(join(outer, OWNER_FILE), JSON.stringify(owner) + '\n');
  const path = join(outer, 'run');
  mkdirSync(path, { mode: 0o700 });
  return {
    path,
    remove: async () => {
      unregister();
      await rm(outer, { recursive: true, force: true });
    },
  };
}
