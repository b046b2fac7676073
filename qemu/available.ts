// Whether QEMU is installed (7.2 on PATH; 10.0.2 beside it), so live tests can say why they skip and how to get it.
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

/** Where tests look for QEMU 10.0.2 beside the system's 7.2: $BGCHECK_QEMU_10, then .ci/install-qemu-10.sh's places. */
export const QEMU_10_PLACES: readonly string[] = [
  process.env['BGCHECK_QEMU_10'] ?? '',
  '/opt/qemu-10.0.2/usr/bin',
  `${process.env['BGCHECK_QEMU_CACHE'] ?? `${process.env['HOME'] ?? ''}/.cache/bgcheck/qemu-10.0.2`}/usr/bin`,
].filter((p) => p !== '');

/** How a skipped test says to get QEMU 10.0.2. */
export const QEMU_10_HINT = 'QEMU 10.0.2 not found: run .ci/install-qemu-10.sh /opt/qemu-10.0.2 (or set BGCHECK_QEMU_10 to its bin directory)';

/** The bin directory of an installed QEMU 10.0.2, if any. */
export function qemu10Dir(): string | undefined {
  return QEMU_10_PLACES.find((dir) => runs(`${dir}/qemu-storage-daemon`) && runs(`${dir}/qemu-img`));
}
