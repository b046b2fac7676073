// `--qemu PATH` for every command that runs QEMU: resolved and probed up front, one clear line and exit 2 if not.
import { availableParallelism } from 'node:os';
import { chooseBuild } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';

export const QEMU_OPTION = ['--qemu <path>', 'the QEMU to run: a bin or build directory holding qemu-storage-daemon and qemu-img, or the daemon itself (default: $BGCHECK_QEMU, else PATH)'] as const;

/** The probed build, or undefined after printing `bgcheck CMD: why` on stderr (the caller exits 2). */
export async function buildOrSay(command: string, path: string | undefined): Promise<ProbedBuild | undefined> {
  const r = await chooseBuild(path);
  if (r.ok) return r.probed;
  process.stderr.write(`bgcheck ${command}: ${r.message}\n`);
  return undefined;
}

/** Daemons at once by default: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}
