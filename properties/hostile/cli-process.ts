// The CLI as a real child process, for tests that send signals, close pipes or kill it outright.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/bgcheck.js', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or 128+signal) once the process has ended. */
  readonly exited: Promise<number>;
}

export function spawnCli(args: readonly string[], opts: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly nodeArgs?: readonly string[]; readonly detached?: boolean } = {}): CliProcess {
  // detached: a process group of its own, which a test can signal as a terminal signals its foreground job
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: opts.detached === true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2))));
  return { child, out: () => Buffer.concat(out).toString('utf8'), err: () => Buffer.concat(err).toString('utf8'), exited };
}

/** Polls until `ready()` or the deadline; true when it became ready. */
export async function waitFor(ready: () => boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (ready()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return ready();
}

/** Runs the CLI to the end: exit code, stdout and stderr. */
export async function runCliProcess(args: readonly string[], opts: { readonly env?: NodeJS.ProcessEnv } = {}): Promise<{ readonly code: number; readonly out: string; readonly err: string }> {
  const p = spawnCli(args, opts);
  p.child.stdin.end();
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}
