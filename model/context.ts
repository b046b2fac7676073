// What holds for the duration of one command (apply.ts sets it): the image locks file nodes hold, and, only
// when a comparison asks for it, QEMU 7.2 defects to reproduce instead of the intended behaviour.
import type { PermPair } from './perms.ts';

/** 7.2 defects the model can reproduce on request, so a comparison can tell them from unexplained differences. */
export type Qemu72Defect = 'force-share-never-restates';

export interface CommandContext {
  /** Image locks are the OS's: each file node holds its perms as of the last successful check that visited it
   * (at first, when the command started); `checkGraph` updates them. */
  readonly held: Map<string, PermPair>;
  readonly emulate: ReadonlySet<Qemu72Defect>;
}

let current: CommandContext = { held: new Map(), emulate: new Set() };

export const context = (): CommandContext => current;

export function withContext<T>(ctx: CommandContext, fn: () => T): T {
  const before = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = before;
  }
}
