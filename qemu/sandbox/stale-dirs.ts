// Removes the private directories of QEMU runs whose owning process is dead, and nothing else: other people's live
// runs, directories without an owner record (another tool, an older version, one being made) all stay.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../../qmp/json-value.ts';

/** Field 22 of /proc/PID/stat (clock ticks since boot), or null where /proc cannot say. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but someone else's
    return typeof e === 'object' && e !== null && 'code' in e && e.code === 'EPERM';
  }
}

export type OwnerState = 'alive' | 'dead' | 'unknown';

/** Whether the run that made `dir` is over: its pid is gone, or now belongs to a process started at another time. */
export function ownerState(dir: string): OwnerState {
  let owner: unknown;
  try {
    owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8'));
  } catch {
    return 'unknown';
  }
  if (!isRecord(owner) || typeof owner['pid'] !== 'number' || !Number.isSafeInteger(owner['pid']) || owner['pid'] <= 0) return 'unknown';
  const pid = owner['pid'];
  if (!isAlive(pid)) return 'dead';
  const start = owner['start'];
  const now = processStartTime(pid);
  return typeof start === 'string' && now !== null && now !== start ? 'dead' : 'alive';
}

/** Removes `root/PREFIX*` directories whose owner is dead; returns their names. */
export function removeStaleWorkDirs(root: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const dir = join(root, n);
    if (ownerState(dir) !== 'dead') continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(n);
    } catch {
      // not ours to remove (another user's, in a sticky /tmp): leave it
    }
  }
  return removed;
}
