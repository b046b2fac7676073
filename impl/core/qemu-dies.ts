// QEMU dying inside the impl: at once (unwinding the command, which gets no reply), or right after the command's reply
// (a job's coroutine), which the next command finds; or hanging for good. BlockLayer turns a death into a typed Crash
// on its outcome, a hang into a `qemu-hang` outcome.
import type { Crash } from '../../qmp/crash.ts';
import type { BlockEnv } from './block-env.ts';
import type { Death } from './deaths.ts';

/** Thrown through the whole command: nothing after the death runs, as nothing does in QEMU. */
export class QemuDies extends Error {
  override readonly name = 'QemuDies';
  constructor(readonly death: Death) {
    super(death.text === '' ? 'QEMU dies without a word' : death.text.trimEnd());
  }
}

export function dieNow(death: Death): never {
  throw new QemuDies(death);
}

/**
 * QEMU dies after replying: the first death decided in a command is the one that happens, unless `replacing` (a job's
 * run that decides its death first thing, over what an earlier step of the same command left).
 */
export function dieAfterReply(env: BlockEnv, death: Death, replacing = false): void {
  if (replacing || env.dyingAfterReply === undefined) env.dyingAfterReply = death;
}

/** The crash as the daemon's stderr shows it: what it logged on the way, then its last words. */
export function crashOf(env: BlockEnv, death: Death): Crash {
  return { site: death.site, stderr: env.stderrLog + death.text, signal: death.signal };
}

/** QEMU stops answering for good (a coroutine that loops without yielding starves the main loop, QMP and signals). */
export class QemuHangs extends Error {
  override readonly name = 'QemuHangs';
  constructor(readonly where: string) {
    super(where);
  }
}

export function hangNow(where: string): never {
  throw new QemuHangs(where);
}
