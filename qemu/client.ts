// A QMP client over a daemon's stdio: greeting, capabilities, one command at a time, events kept aside.
import { wireJson } from '../qmp/json/wire-text.ts';
import { isJsonObject, isJsonValue, isRecord } from '../qmp/json-value.ts';
import type { PeerLost, QmpCommand, QmpErrorClass, QmpEvent, QmpOutcome, QmpReply } from '../qmp/types.ts';
import type { Daemon } from './daemon.ts';
import { LineReader } from './line-reader.ts';

export interface ClientOptions {
  /** How long one command may take before the daemon counts as hung (`qemu-hang`). */
  readonly timeoutMs?: number;
  /** How long the greeting and capabilities may take (a loaded machine starts a daemon slowly); default the same. */
  readonly startTimeoutMs?: number;
}

export type ConnectResult = { readonly ok: true; readonly client: QmpClient } | { readonly ok: false; readonly error: PeerLost };

const DEFAULT_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 10_000;
// qmprun.py keeps the last 2000 characters of stderr in a crash message
const STDERR_TAIL = 2000;
// how long a daemon that closed stdout gets to exit (and finish stderr) before it is killed
const EXIT_GRACE_MS = 5000;
const ERROR_CLASSES: readonly QmpErrorClass[] = ['GenericError', 'CommandNotFound', 'DeviceNotActive', 'DeviceNotFound', 'KVMMissingCap'];

function isErrorClass(c: unknown): c is QmpErrorClass {
  return ERROR_CLASSES.some((x) => x === c);
}

export class QmpClient {
  private readonly events: QmpEvent[] = [];
  private lost: PeerLost | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly daemon: Daemon,
    private readonly reader: LineReader,
    private readonly timeoutMs: number,
  ) {}

  /** Reads the greeting and negotiates capabilities; a daemon that dies or stalls first is a typed failure. */
  static async connect(daemon: Daemon, opts: ClientOptions = {}): Promise<ConnectResult> {
    const client = new QmpClient(daemon, new LineReader(daemon.stdout), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // starting (a sandbox, a cold cache) is not answering: the greeting gets at least START_TIMEOUT_MS (or the caller's start time)
    const greeting = await client.readMessage(Math.max(opts.startTimeoutMs ?? 0, client.timeoutMs, START_TIMEOUT_MS));
    if (greeting.kind !== 'message') {
      const lost = await client.markLost(greeting.kind === 'eof' ? 'qemu-crash' : 'qemu-hang', 'no QMP greeting', 'head');
      return { ok: false, error: lost };
    }
    const caps = await client.execute({ execute: 'qmp_capabilities' }, Math.max(opts.startTimeoutMs ?? 0, client.timeoutMs));
    if ('lost' in caps) return { ok: false, error: caps.lost };
    if ('error' in caps) return { ok: false, error: await client.markLost('qemu-crash', `qmp_capabilities failed: ${caps.error.desc}`, 'tail') };
    return { ok: true, client };
  }

  /** Sends one command and waits for its reply. It is written at once, so commands asked together travel together
   * (QEMU runs them in order, one after the other); replies are read in the same order. */
  execute(cmd: QmpCommand, timeoutMs: number = this.timeoutMs): Promise<QmpOutcome> {
    if (this.lost === undefined) this.daemon.stdin.write(wireJson(cmd) + '\n');
    const next = this.queue.then(() => this.replyTo(cmd, timeoutMs));
    this.queue = next;
    return next;
  }

  drainEvents(): QmpEvent[] {
    return this.events.splice(0);
  }

  /** Asks the daemon to quit, kills it if it lingers, and removes its work dir. `abandoned`: the run was given up
   * mid-step, nothing more is read from it, so it is killed at once (one stuck in a read never quits: 5 s lost). */
  async close(abandoned = false): Promise<void> {
    if (abandoned) this.daemon.kill();
    await this.queue.catch(() => undefined);
    if (this.lost === undefined && this.daemon.isRunning()) {
      this.daemon.stdin.write(wireJson({ execute: 'quit' }) + '\n');
      await withTimeout(this.daemon.exited, EXIT_GRACE_MS);
    }
    await this.daemon.dispose();
  }

  private async replyTo(cmd: QmpCommand, timeoutMs: number): Promise<QmpOutcome> {
    if (this.lost !== undefined) return { lost: this.lost };
    const m = await this.readMessage(timeoutMs);
    if (m.kind === 'eof') return { lost: await this.markLost('qemu-crash', 'QMP peer closed', 'tail') };
    if (m.kind === 'timeout') return { lost: await this.markLost('qemu-hang', `QMP peer did not reply to ${cmd.execute} within ${timeoutMs} ms`, 'tail') };
    return m.reply;
  }

  /** Next reply; events are set aside and non-JSON lines (drive-mirror's "Formatting ...") skipped. */
  private async readMessage(
    timeoutMs: number = this.timeoutMs,
  ): Promise<{ kind: 'message'; reply: QmpReply } | { kind: 'eof' } | { kind: 'timeout' }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const r = await this.reader.next(deadline - performance.now());
      if (r.kind !== 'line') return r;
      const msg = parseJson(r.line);
      if (!isRecord(msg)) continue;
      if (typeof msg['event'] === 'string') {
        this.events.push(toEvent(msg['event'], msg));
        continue;
      }
      const reply = toReply(msg);
      if (reply !== undefined) return { kind: 'message', reply };
    }
  }

  /** Stops the daemon for good and builds qmprun.py's text: `WHAT; stderr: …` with stderr's head or tail. */
  private async markLost(kind: PeerLost['kind'], what: string, part: 'head' | 'tail'): Promise<PeerLost> {
    if (kind === 'qemu-hang') this.daemon.kill();
    if ((await withTimeout(this.daemon.exited, EXIT_GRACE_MS)) === undefined) {
      this.daemon.kill();
    }
    const exit = await this.daemon.exited;
    const stderr = this.daemon.stderr();
    const cps = Array.from(stderr);
    const kept = part === 'head' ? cps.slice(0, STDERR_TAIL) : cps.slice(-STDERR_TAIL);
    this.lost = { kind, message: `${what}; stderr: ${kept.join('')}`, stderr, signal: exit.signal };
    return this.lost;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** A greeting ({"QMP": …}) counts as a message too, as in qmprun.py; other shapes are skipped. */
function toReply(msg: Readonly<Record<string, unknown>>): QmpReply | undefined {
  const id = isJsonValue(msg['id']) ? { id: msg['id'] } : {};
  if ('return' in msg && isJsonValue(msg['return'])) return { return: msg['return'], ...id };
  const err = msg['error'];
  if (isRecord(err)) {
    const cls = isErrorClass(err['class']) ? err['class'] : 'GenericError';
    return { error: { class: cls, desc: typeof err['desc'] === 'string' ? err['desc'] : '' }, ...id };
  }
  if ('QMP' in msg && isJsonValue(msg['QMP'])) return { return: { QMP: msg['QMP'] } };
  return undefined;
}

function toEvent(event: string, msg: Readonly<Record<string, unknown>>): QmpEvent {
  const ts = msg['timestamp'];
  const seconds = isRecord(ts) && typeof ts['seconds'] === 'number' ? ts['seconds'] : 0;
  const microseconds = isRecord(ts) && typeof ts['microseconds'] === 'number' ? ts['microseconds'] : 0;
  const data = msg['data'];
  return { event, ...(isJsonObject(data) ? { data } : {}), timestamp: { seconds, microseconds } };
}

/** The promise's value, or undefined once ms have passed. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
