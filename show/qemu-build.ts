// `--qemu PATH`: which qemu-storage-daemon to run. One small function, so it merges with the "any QEMU build" work.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DAEMON_ARGV } from '../qemu/daemon.ts';

export type QemuBuild =
  | { readonly ok: true; readonly daemonArgv: readonly string[]; readonly daemon: string }
  | { readonly ok: false; readonly message: string };

const isExecutableFile = (p: string): boolean => {
  try {
    const st = statSync(p);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/**
 * PATH is the daemon binary itself, or a directory holding it: an unpacked package (`usr/bin/`), a bin directory,
 * or a build tree (`storage-daemon/`). Undefined means the qemu-storage-daemon on PATH.
 */
export function resolveQemuBuild(path: string | undefined): QemuBuild {
  if (path === undefined) return { ok: true, daemonArgv: DAEMON_ARGV, daemon: 'qemu-storage-daemon' };
  const candidates = [path, ...['', 'usr/bin', 'bin', 'storage-daemon'].map((d) => join(path, d, 'qemu-storage-daemon'))];
  const daemon = candidates.find(isExecutableFile);
  if (daemon === undefined) return { ok: false, message: `--qemu: no executable qemu-storage-daemon at ${path} (nor in its usr/bin, bin or storage-daemon)` };
  return { ok: true, daemonArgv: [daemon, ...DAEMON_ARGV.slice(1)], daemon };
}
