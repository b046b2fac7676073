// One spawner helper process (spawner-entry.mjs) and the requests in flight on it: the protocol's parent side.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import type { ToolOptions } from './spawner.ts';

const ENTRY = new URL('./spawner-entry.mjs', import.meta.url);

export interface Reply {
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
export class Helper {
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  dead = false;

  /** Requests in flight. */
  get load(): number {
    return this.pending.size;
  }

  /** A new helper; it ends at its stdin's close (end(), or our exit), and SIGTERM at our exit kills what it runs. */
  static start(): Helper {
    // a small heap: its own forks stay cheap
    const child = spawn(process.execPath, ['--max-old-space-size=64', fileURLToPath(ENTRY)], { stdio: ['pipe', 'pipe', 'inherit'] });
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
    return new Helper(child, finish);
  }

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    /** Closes its stdin: it kills what it still runs and ends (and is waited for). */
    readonly end: () => void,
  ) {
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
      // no environment: the helper runs tools in the one it was started with
      this.child.stdin.write(JSON.stringify({ id, file, args, killSignal: 'SIGTERM', ...rest }) + '\n');
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
