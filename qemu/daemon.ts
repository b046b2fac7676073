// qemu-storage-daemon with its QMP monitor on stdio, run in a private temp dir that goes away with it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { onProcessExit } from './exit-cleanup.ts';

export const DAEMON_ARGV: readonly string[] = ['qemu-storage-daemon', '--chardev', 'stdio,id=c', '--monitor', 'chardev=c'];

/** A 0700 temp dir that is removed by remove() or, failing that, at process exit. */
export interface WorkDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function makeWorkDir(prefix = 'bgcheck-qemu-'): Promise<WorkDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  // mkdtemp already uses 0700; say it explicitly since images may hold anything
  chmodSync(path, 0o700);
  const unregister = onProcessExit(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    remove: async () => {
      unregister();
      await rm(path, { recursive: true, force: true });
    },
  };
}

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
  const [cmd, ...args] = argv;
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
