// execFile for QEMU's tools (qemu-img, qemu-io) through small helper processes (spawner-entry.mjs): forking this
// process blocks its event loop until the child has exec'd (measured 30-45 ms a spawn on the loaded 2-core machine,
// 8 spawns a sequence), which serialised `--check qemu --jobs 2`; the helpers fork instead, beside us.
// The argv is the caller's sandboxed one (launcher.ts); BGCHECK_SPAWNER=off runs it here, as before.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

const ENTRY = new URL('./spawner-entry.mjs', import.meta.url);

export interface ToolOptions {
  readonly cwd: string;
  readonly timeout: number;
  readonly maxBuffer?: number;
  readonly killSignal?: NodeJS.Signals;
  /** Aborting kills the tool (with killSignal) and rejects, as execFile's signal does. */
  readonly signal?: AbortSignal;
}

export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** What execFile rejects with: the message, exit code or errno code, signal, and the output so far. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: number | string | null,
    readonly signal: NodeJS.Signals | null,
    readonly killed: boolean,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

interface Reply {
  readonly id: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: { readonly message: string; readonly code: number | string | null; readonly signal: NodeJS.Signals | null; readonly killed: boolean };
}

interface Pending {
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: Error) => void;
}

/** One helper process and the requests it is running; replaced by a fresh one if it dies. */
class Spawner {
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  dead = false;

  /** Requests in flight. */
  get load(): number {
    return this.pending.size;
  }

  constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    child.stdin.on('error', () => undefined);
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const r = JSON.parse(line) as Reply;
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      this.idle();
      p?.resolve(r);
    });
    child.on('error', (e) => this.fail(e));
    child.on('close', (code, signal) => this.fail(new Error(`the spawner process ended (${signal ?? `exit ${code}`})`)));
    this.idle();
  }

  run(file: string, args: readonly string[], opts: ToolOptions): Promise<Reply> {
    const id = this.next++;
    const { signal, ...rest } = opts;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = (): void => void this.child.stdin.write(JSON.stringify({ cancel: id }) + '\n');
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve: (r) => (done(), resolve(r)), reject: (e) => (done(), reject(e)) });
      this.busy();
      // the environment as it is now, as execFile here would pass it
      this.child.stdin.write(JSON.stringify({ id, file, args, env: process.env, killSignal: 'SIGTERM', ...rest }) + '\n');
      if (signal?.aborted === true) onAbort();
    });
  }

  /** Requests in flight keep this process alive; an idle helper does not. */
  private busy(): void {
    if (this.pending.size !== 1) return;
    this.child.ref();
    (this.child.stdout as Readable & { ref?: () => void }).ref?.();
  }

  private idle(): void {
    if (this.pending.size !== 0) return;
    this.child.unref();
    (this.child.stdout as Readable & { unref?: () => void }).unref?.();
    (this.child.stdin as Writable & { unref?: () => void }).unref?.();
  }

  private fail(e: Error): void {
    this.dead = true;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}

/** Helpers at most: each blocks on every fork until the child has exec'd, so one helper serialised --jobs 2. */
const MAX_SPAWNERS = 4;

const state: { spawners: Spawner[] } = { spawners: [] };

/** An idle helper, else a new one while there are fewer than MAX_SPAWNERS, else the least busy. */
function spawner(): Spawner {
  state.spawners = state.spawners.filter((s) => !s.dead);
  const idle = state.spawners.find((s) => s.load === 0);
  if (idle !== undefined) return idle;
  if (state.spawners.length < MAX_SPAWNERS) {
    const made = startSpawner();
    state.spawners.push(made);
    return made;
  }
  return state.spawners.reduce((a, b) => (b.load < a.load ? b : a));
}

function startSpawner(): Spawner {
  // a small heap: its own forks stay cheap
  const child = spawn(process.execPath, ['--max-old-space-size=64', fileURLToPath(ENTRY)], { stdio: ['pipe', 'pipe', 'inherit'] });
  // it ends at its stdin's close, whenever we go; when our work is done it is waited for, so nothing outlives us
  const finish = (): void => {
    child.ref();
    child.stdin.end();
  };
  // SIGTERM, not SIGKILL: it kills what it runs first (a SIGKILLed spawner left a tool's bwrap running, orphaned)
  const end = (): void => void child.kill('SIGTERM');
  process.once('beforeExit', finish);
  process.once('exit', end);
  child.once('close', () => {
    process.off('beforeExit', finish);
    process.off('exit', end);
  });
  return new Spawner(child);
}

function directly(file: string, args: readonly string[], opts: ToolOptions): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...opts, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) resolve({ stdout, stderr });
      else reject(new ToolError(err.message, err.code ?? null, err.signal ?? null, err.killed === true, stdout, stderr));
    });
  });
}

/** Runs `file args` to its end as execFile does (same options, same rejection fields), from the helper process. */
export async function runTool(file: string, args: readonly string[], opts: ToolOptions): Promise<ToolOutput> {
  if (process.env['BGCHECK_SPAWNER'] === 'off') return directly(file, args, opts);
  const r = await spawner().run(file, args, opts);
  if (r.error === undefined) return { stdout: r.stdout, stderr: r.stderr };
  // an aborted run rejects with AbortError, as execFile's does
  const aborted = opts.signal?.aborted === true;
  throw new ToolError(aborted ? 'The operation was aborted' : r.error.message, aborted ? 'ABORT_ERR' : r.error.code, r.error.signal, r.error.killed, r.stdout, r.stderr);
}
