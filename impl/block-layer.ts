// The impl as one object: a qemu-storage-daemon's block layer that executes QMP commands.
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { newBlockEnv } from './core/block-env.ts';
import type { BlockEnv } from './core/block-env.ts';
import { EventSink } from './core/events.ts';
import type { EmittedEvent } from './core/events.ts';
import type { Result } from './core/result.ts';
import { commandNotFound, dispatch, isImplCommand } from './commands/dispatch.ts';
import { qemuAbortFor } from './qemu-abort.ts';
import type { ImageStore } from './images/image-store.ts';

/** What one command did: a reply (ok or error) with its events, or a QEMU 7.2 abort. */
export type CommandOutcome =
  | { readonly kind: 'reply'; readonly result: Result<JsonValue>; readonly events: readonly EmittedEvent[] }
  | { readonly kind: 'qemu-abort'; readonly stderr: string };

export class BlockLayer {
  readonly env: BlockEnv;
  private readonly events = new EventSink();

  constructor(images: ImageStore) {
    this.env = newBlockEnv(images);
  }

  execute(name: string, args: JsonObject = {}): CommandOutcome {
    const abort = qemuAbortFor(name, args);
    if (abort !== undefined) return { kind: 'qemu-abort', stderr: abort };
    const result = isImplCommand(name) ? dispatch(this.env, this.events, name, args) : commandNotFound(name);
    return { kind: 'reply', result, events: this.events.drain() };
  }
}
