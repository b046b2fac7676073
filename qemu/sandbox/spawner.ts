// execFile for QEMU's tools (qemu-img, qemu-io) through small helper processes (spawner-entry.mjs): forking this
// process blocks its event loop until the child has exec'd (measured 30-45 ms a spawn on the loaded 2-core machine,
// 8 spawns a sequence), which serialised `--check qemu --jobs 2`; the helpers fork instead, beside us.
// The argv is the caller's sandboxed one (launcher.ts); BGCHECK_SPAWNER=off runs it here, as before.
import { execFile } from 'node:child_process';
import { Helper } from './helper.ts';

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

/** Helpers at most: each blocks on every fork until the child has exec'd, so one helper serialised --jobs 2. */
const MAX_HELPERS = 4;

/** The helper processes of one owner (a campaign, a bench: qemu/tool-host.ts); close() ends them. */
export class Spawners {
  private helpers: Helper[] = [];

  /** Runs `file args` to its end as execFile does (same options, same rejection fields), from a helper. */
  async run(file: string, args: readonly string[], opts: ToolOptions): Promise<ToolOutput> {
    const r = await this.pick().run(file, args, opts);
    if (r.error === undefined) return { stdout: r.stdout, stderr: r.stderr };
    // an aborted run rejects with AbortError, as execFile's does
    const aborted = opts.signal?.aborted === true;
    throw new ToolError(aborted ? 'The operation was aborted' : r.error.message, aborted ? 'ABORT_ERR' : r.error.code, r.error.signal, r.error.killed, r.stdout, r.stderr);
  }

  /** Ends every helper (killing what one still runs); a later run starts new ones. */
  close(): void {
    for (const h of this.helpers) h.end();
    this.helpers = [];
  }

  /** An idle helper, else a new one while there are fewer than MAX_HELPERS, else the least busy. */
  private pick(): Helper {
    this.helpers = this.helpers.filter((h) => !h.dead);
    const idle = this.helpers.find((h) => h.load === 0);
    if (idle !== undefined) return idle;
    if (this.helpers.length < MAX_HELPERS) {
      const made = Helper.start();
      this.helpers.push(made);
      return made;
    }
    return this.helpers.reduce((a, b) => (b.load < a.load ? b : a));
  }
}

function directly(file: string, args: readonly string[], opts: ToolOptions): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...opts, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) resolve({ stdout, stderr });
      else reject(new ToolError(err.message, err.code ?? null, err.signal ?? null, err.killed === true, stdout, stderr));
    });
  });
}

/** Runs `file args` as execFile does: from `spawners`' helpers, or here without them (or with BGCHECK_SPAWNER=off). */
export function runTool(file: string, args: readonly string[], opts: ToolOptions, spawners?: Spawners): Promise<ToolOutput> {
  if (spawners === undefined || process.env['BGCHECK_SPAWNER'] === 'off') return directly(file, args, opts);
  return spawners.run(file, args, opts);
}
