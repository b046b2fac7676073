// Whether the QEMU 7.2 tools are installed, so live tests and `record` can say why they skip.
import { execFileSync } from 'node:child_process';

const cache = new Map<string, boolean>();

function runs(cmd: string): boolean {
  const known = cache.get(cmd);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    ok = true;
  } catch {
    ok = false;
  }
  cache.set(cmd, ok);
  return ok;
}

/** True when both qemu-storage-daemon and qemu-img run. */
export function isQemuAvailable(): boolean {
  return runs('qemu-storage-daemon') && runs('qemu-img');
}

export function isQemuImgAvailable(): boolean {
  return runs('qemu-img');
}
