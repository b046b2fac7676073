// Observation steps on real QEMU (qmp/observation.ts): the node is exported read-only over NBD on a unix socket in
// the run's private directory (the scenario's own server if it started one, else one of ours for this step), read
// with qemu-img, and the export (and our server) removed again before the step ends, so the graph is as it was.
import { observationOf, READ_FAILED } from '../qmp/observation.ts';
import { toJsonValue } from '../qmp/json-value.ts';
import { inQdictOrder } from '../qmp/qdict-order.ts';
import { isPeerLost, type JsonValue, type PeerLost, type QmpCommand, type QmpOutcome } from '../qmp/types.ts';
import { servedChecksum, servedMap, type NbdRead, type NbdSource } from './nbd-map.ts';
import type { ServedChecksum, ServedExtent } from '../qmp/observation.ts';
import type { Spawners } from './sandbox/spawner.ts';

const EXPORT_ID = 'bgcheck-observe';
const OWN_SOCKET = 'bgcheck-observe.sock';
/** How long a read runs before the daemon is asked whether it still answers (most reads take less). */
const WATCH_MS = 1_000;

type Exec = (cmd: QmpCommand) => Promise<QmpOutcome>;

/** The scenario's NBD server as its commands left it: none, on a unix socket, or elsewhere (we cannot reach it). */
export type ServerSeen =
  | { readonly kind: 'none' }
  | { readonly kind: 'unix'; readonly path: string; readonly maxConnections?: number }
  | { readonly kind: 'other' };

export class Observer {
  private server: ServerSeen = { kind: 'none' };
  private readonly closing = new AbortController();

  constructor(
    private readonly exec: Exec,
    private readonly dir: string,
    private readonly img: string,
    private readonly spawners?: Spawners,
  ) {}

  /** The target is closing: a qemu-img still reading an export is killed, and no observation starts again. */
  cancel(): void {
    this.closing.abort();
  }

  /** Follows the scenario's own nbd-server-start/stop, so observations use (and never stop) its server. */
  seen(cmd: QmpCommand, reply: QmpOutcome): void {
    if (isPeerLost(reply) || 'error' in reply) return;
    if (cmd.execute === 'nbd-server-stop') this.server = { kind: 'none' };
    if (cmd.execute !== 'nbd-server-start') return;
    const args = cmd.arguments as { addr?: { type?: unknown; data?: { path?: unknown } }; 'max-connections'?: unknown } | undefined;
    const addr = args?.addr;
    const max = args?.['max-connections'];
    this.server = addr?.type === 'unix' && typeof addr.data?.path === 'string' ? { kind: 'unix', path: addr.data.path, ...(typeof max === 'number' && max > 0 ? { maxConnections: max } : {}) } : { kind: 'other' };
  }

  /** Answers an observation command; undefined for any other command. */
  async observe(cmd: QmpCommand): Promise<QmpOutcome | undefined> {
    const obs = observationOf(cmd);
    if (!obs) return cmd.execute.startsWith('observe-') ? bad(`Invalid parameter 'node-name'`) : undefined;
    if (this.closing.signal.aborted) return bad('the target is closing');
    if (this.server.kind === 'other') return bad('observations need the NBD server on a unix socket');
    const own = this.server.kind === 'none';
    const socket = this.server.kind === 'unix' ? this.server.path : OWN_SOCKET;
    if (own) {
      const s = await this.exec({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: OWN_SOCKET } } } });
      if (isPeerLost(s) || 'error' in s) return s;
    }
    try {
      const added = await this.exec({
        execute: 'block-export-add',
        arguments: { type: 'nbd', id: EXPORT_ID, 'node-name': obs.node, name: EXPORT_ID, 'allocation-depth': true },
      });
      if (isPeerLost(added) || 'error' in added) return added;
      const twoClients = this.server.kind !== 'unix' || (this.server.maxConnections ?? 2) >= 2;
      const src: NbdSource = { socket, exportName: EXPORT_ID, dir: this.dir, img: this.img, signal: this.closing.signal, twoClients, ...(this.spawners ? { spawners: this.spawners } : {}) };
      const reading: Promise<NbdRead<ServedExtent[] | ServedChecksum>> = obs.kind === 'observe-block-status' ? servedMap(src) : servedChecksum(src);
      const read = await this.watched(reading);
      if ('lost' in read) return read;
      const removed = await this.removeExport();
      if (removed) return removed;
      // the values read back as the impl's (and QEMU's own replies) do: objects in QDict order
      return read.ok ? { return: inQdictOrder(toJsonValue(read.value)) } : bad(READ_FAILED);
    } finally {
      if (own) await this.exec({ execute: 'nbd-server-stop' });
    }
  }

  /**
   * Waits for a read while asking the daemon every WATCH_MS whether it still answers: a daemon that loops serving the
   * export is a hang within the reply deadline, not a failed read after the read's own (much longer) deadline.
   */
  private async watched<T>(read: Promise<T>): Promise<T | { readonly lost: PeerLost }> {
    let done = false;
    const finished = read.finally(() => (done = true));
    const watch = async (): Promise<{ readonly lost: PeerLost } | undefined> => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, WATCH_MS).unref());
        if (done) return undefined;
        const r = await this.exec({ execute: 'query-version' });
        if (isPeerLost(r)) return r;
      }
      return undefined;
    };
    const lost = watch();
    const first = await Promise.race([finished.then(() => undefined), lost]);
    return first ?? (await finished);
  }

  /** block-export-del, then wait until the export is gone (it goes once the client has disconnected). */
  private async removeExport(): Promise<QmpOutcome | undefined> {
    const del = await this.exec({ execute: 'block-export-del', arguments: { id: EXPORT_ID } });
    if (isPeerLost(del)) return del;
    for (let i = 0; i < 500 && !this.closing.signal.aborted; i++) {
      const q = await this.exec({ execute: 'query-block-exports' });
      if (isPeerLost(q)) return q;
      const list: readonly JsonValue[] = 'return' in q && Array.isArray(q.return) ? q.return : [];
      if (!list.some((e) => typeof e === 'object' && e !== null && !Array.isArray(e) && (e as { id?: unknown }).id === EXPORT_ID)) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return bad('the observation export did not go away');
  }
}

function bad(desc: string): QmpOutcome {
  return { error: { class: 'GenericError', desc } };
}
