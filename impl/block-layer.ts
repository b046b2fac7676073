// The impl as one object: a qemu-storage-daemon's block layer that executes QMP commands.
import type { Crash } from '../qmp/crash.ts';
import { isBlockCommandName } from '../qmp/command-name.ts';
import type { NormalizedGraph } from '../qmp/normalized-graph.ts';
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { newBlockEnv } from './core/block-env.ts';
import type { BlockEnv } from './core/block-env.ts';
import type { EmittedEvent } from './core/events.ts';
import { QemuDies, crashOf } from './core/qemu-dies.ts';
import type { Result } from './core/result.ts';
import { commandNotFound, dispatch } from './commands/dispatch.ts';
import { normalizedGraphOf } from './commands/graph-answer.ts';
import { observe } from './commands/observe.ts';
import { isObservationName } from '../qmp/observation.ts';
import { settleDrainHolds } from './jobs/job-lifecycle.ts';
import type { ImageStore } from './images/image-store.ts';
import { QEMU_7_2 } from './behaviour.ts';
import type { Behaviour } from './behaviour.ts';
import type { Sha256Memo } from '../qmp/runs-sha256.ts';

/** When QEMU 7.2 dies: inside this command (no reply), or after replying to an earlier one (this one finds it dead). */
export type CrashTiming = 'now' | 'after-reply';

/** What one command did: a reply (ok or error) with its events, or a QEMU 7.2 crash. */
export type CommandOutcome =
  | {
      readonly kind: 'reply';
      readonly result: Result<JsonValue>;
      readonly events: readonly EmittedEvent[];
      /** QEMU dies right after sending this reply (a job's background work); the next command reports it. */
      readonly crashAfterReply?: Crash;
    }
  | { readonly kind: 'qemu-abort'; readonly crash: Crash; readonly when: CrashTiming };

/** The graph queries' answer: the normalized graph, a refusal (query-named-block-nodes on a cleared driver), or a crash. */
export type GraphAnswer =
  | { readonly kind: 'graph'; readonly graph: NormalizedGraph }
  | { readonly kind: 'refused' }
  | Extract<CommandOutcome, { kind: 'qemu-abort' }>;

export class BlockLayer {
  readonly env: BlockEnv;

  /** `checksums`: a memo that outlives this daemon (a fuzz campaign reads the same images run after run). */
  constructor(images: ImageStore, behaviour: Behaviour = QEMU_7_2, checksums?: Sha256Memo) {
    this.env = newBlockEnv(images, behaviour, checksums);
  }

  execute(name: string, args: JsonObject = {}): CommandOutcome {
    return this.guarded(() => {
      const env = this.env;
      // observation steps are not QMP: the scenario runner's extension (qmp/observation.ts)
      const result = isBlockCommandName(name)
        ? dispatch(env, name, args)
        : isObservationName(name)
          ? observe(env, name, args)
          : commandNotFound(name);
      settleDrainHolds(env);
      const reply = { kind: 'reply', result, events: env.events.drain() } as const;
      return env.dyingAfterReply ? { ...reply, crashAfterReply: crashOf(env, env.dyingAfterReply) } : reply;
    });
  }

  /** What x-debug-query-block-graph and query-named-block-nodes {flat} show together, normalized, as those two
   * commands in a row would (a refusal, or QEMU dying), without building their replies. */
  graph(): GraphAnswer {
    return this.guarded(() => {
      const graph = normalizedGraphOf(this.env);
      return graph === undefined ? { kind: 'refused' } : { kind: 'graph', graph };
    });
  }

  /** A command finds QEMU dead after an earlier reply, or QEMU dies inside it. */
  private guarded<T>(run: () => T): T | Extract<CommandOutcome, { kind: 'qemu-abort' }> {
    const env = this.env;
    if (env.dyingAfterReply) return { kind: 'qemu-abort', crash: crashOf(env, env.dyingAfterReply), when: 'after-reply' };
    try {
      return run();
    } catch (e) {
      if (e instanceof QemuDies) return { kind: 'qemu-abort', crash: crashOf(env, e.death), when: 'now' };
      throw e;
    }
  }
}
