// The impl as one object: a qemu-storage-daemon's block layer that executes QMP commands.
import type { Crash } from '../qmp/crash.ts';
import { isBlockCommandName } from '../qmp/command-name.ts';
import type { NormalizedGraph } from '../qmp/normalized-graph.ts';
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { newBlockEnv } from './core/block-env.ts';
import type { BlockEnv } from './core/block-env.ts';
import type { EmittedEvent } from './core/events.ts';
import { QemuDies, QemuHangs, crashOf } from './core/qemu-dies.ts';
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

/** What one command did: a reply (ok or error) with its events, a QEMU 7.2 crash, or a hang. */
export type CommandOutcome =
  | {
      readonly kind: 'reply';
      readonly result: Result<JsonValue>;
      readonly events: readonly EmittedEvent[];
      /** QEMU dies right after sending this reply (a job's background work); the next command reports it. */
      readonly crashAfterReply?: Crash;
    }
  | { readonly kind: 'qemu-abort'; readonly crash: Crash; readonly when: CrashTiming }
  /** QEMU 7.2 loops inside this command and never answers again: `where` says which loop. */
  | { readonly kind: 'qemu-hang'; readonly where: string };

/** QEMU is gone: dead, or hung for good. */
type Gone = Extract<CommandOutcome, { kind: 'qemu-abort' | 'qemu-hang' }>;

/** The graph queries' answer: the normalized graph, a refusal (query-named-block-nodes on a cleared driver), or a crash. */
export type GraphAnswer =
  | { readonly kind: 'graph'; readonly graph: NormalizedGraph }
  | { readonly kind: 'refused' }
  | Gone;

export class BlockLayer {
  readonly env: BlockEnv;
  /** Where QEMU hangs since an earlier command: nothing is answered any more. */
  private hung: string | undefined;

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

  /** A command finds QEMU dead after an earlier reply (or hung), or QEMU dies or hangs inside it. */
  private guarded<T>(run: () => T): T | Gone {
    const env = this.env;
    if (this.hung !== undefined) return { kind: 'qemu-hang', where: this.hung };
    if (env.dyingAfterReply) return { kind: 'qemu-abort', crash: crashOf(env, env.dyingAfterReply), when: 'after-reply' };
    try {
      return run();
    } catch (e) {
      if (e instanceof QemuDies) return { kind: 'qemu-abort', crash: crashOf(env, e.death), when: 'now' };
      if (e instanceof QemuHangs) {
        this.hung = e.where;
        return { kind: 'qemu-hang', where: e.where };
      }
      throw e;
    }
  }
}
