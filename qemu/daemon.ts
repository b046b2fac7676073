// qemu-storage-daemon with its QMP monitor on stdio, sandboxed in a private temp dir that goes away with it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { onProcessExit } from './exit-cleanup.ts';
import { sandboxedArgv } from './sandbox/launcher.ts';
import type { WorkDir } from './sandbox/work-dir.ts';

export { makeWorkDir } from './sandbox/work-dir.ts';
export type { WorkDir } from './sandbox/work-dir.ts';

export const DAEMON_ARGV: readonly string[] = ['qemu-storage-daemon', '--chardev', 'stdio,id=c', '--monitor', 'chardev=c'];

export interface DaemonExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all (e.g. ENOENT). */
  readonly spawnError?: string;
}

export interface Daemon {
  readonly workDir: WorkDir;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Everything the daemon wrote to stderr so far, with \r\n read as \n like Python's text mode. */
  stderr(): string;
  /** Resolves once the process has ended and its pipes are closed (or it never started). */
  readonly exited: Promise<DaemonExit>;
  isRunning(): boolean;
  /** Sends SIGKILL if the daemon still runs; the work dir stays until dispose(). */
  kill(): void;
  /** Kills the daemon if needed, waits for it, and removes its work dir. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Starts the daemon in workDir; the child is killed at process exit if dispose() was never reached. */
export function spawnDaemon(workDir: WorkDir, argv: readonly string[] = DAEMON_ARGV): Daemon {
  // only the work dir is writable, and the daemon dies with us even on SIGKILL
  const [cmd, ...args] = sandboxedArgv(argv, workDir.path);
  const child: ChildProcessWithoutNullStreams = spawn(cmd ?? 'qemu-storage-daemon', args, {
    cwd: workDir.path,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => chunks.push(b));
  // a write to a dead daemon fails with EPIPE; the reader sees EOF and reports the crash instead
  child.stdin.on('error', () => undefined);
  let running = true;
  const exited = new Promise<DaemonExit>((resolve) => {
    child.on('error', (e) => {
      if (child.pid === undefined) {
        running = false;
        resolve({ code: null, signal: null, spawnError: e.message });
      }
    });
    child.once('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const unregister = onProcessExit(() => {
    if (running) child.kill('SIGKILL');
  });
  let disposing: Promise<void> | undefined;
  return {
    workDir,
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: () => Buffer.concat(chunks).toString('utf8').replace(/\r\n?/g, '\n'),
    exited,
    isRunning: () => running,
    kill: () => {
      if (running) child.kill('SIGKILL');
    },
    dispose: () => {
      disposing ??= (async () => {
        if (running) child.kill('SIGKILL');
        await exited;
        unregister();
        await workDir.remove();
      })();
      return disposing;
    },
  };
}
