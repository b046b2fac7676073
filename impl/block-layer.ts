// The impl as one object: a qemu-storage-daemon's block layer that executes QMP commands.
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { newBlockEnv } from './core/block-env.ts';
import type { BlockEnv } from './core/block-env.ts';
import type { EmittedEvent } from './core/events.ts';
import type { Result } from './core/result.ts';
import { commandNotFound, dispatch, isImplCommand } from './commands/dispatch.ts';
import { settleDrainHolds } from './jobs/job-lifecycle.ts';
import { qemuAbortFor } from './qemu-abort.ts';
import { QemuAbortError } from './core/qemu-abort-error.ts';
import type { ImageStore } from './images/image-store.ts';
import { QEMU_7_2 } from './behaviour.ts';
import type { Behaviour } from './behaviour.ts';

/** What one command did: a reply (ok or error) with its events, or a QEMU 7.2 abort. */
export type CommandOutcome =
  | { readonly kind: 'reply'; readonly result: Result<JsonValue>; readonly events: readonly EmittedEvent[] }
  | { readonly kind: 'qemu-abort'; readonly stderr: string };

export class BlockLayer {
  readonly env: BlockEnv;

  constructor(images: ImageStore, behaviour: Behaviour = QEMU_7_2) {
    this.env = newBlockEnv(images, behaviour);
  }

  execute(name: string, args: JsonObject = {}): CommandOutcome {
    const abort = qemuAbortFor(this.env, name, args);
    if (abort !== undefined) return { kind: 'qemu-abort', stderr: this.env.stderrLog + abort };
    try {
      const result = isImplCommand(name) ? dispatch(this.env, name, args) : commandNotFound(name);
      settleDrainHolds(this.env);
      return { kind: 'reply', result, events: this.env.events.drain() };
    } catch (e) {
      // QEMU's &error_abort: the daemon would die here
      if (e instanceof QemuAbortError) return { kind: 'qemu-abort', stderr: this.env.stderrLog + e.stderr };
      throw e;
    }
  }
}
