// One worker process of `fuzz --workers N`: started through explore's worker-entry.mjs (the bundle, else tsx), fed
// its campaign over IPC, and watched so that a worker that dies is a clear error, never a hang.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker, WorkerCampaignData } from './worker-messages.ts';

const ENTRY = fileURLToPath(new URL('../explore/worker-entry.mjs', import.meta.url));
const FUZZ_WORKER = new URL('./fuzz-worker.ts', import.meta.url).href;

/** V8 in each worker: no helper threads (one worker is then one core's work: --workers N scales with the cores). */
export const WORKER_FLAGS: readonly string[] = ['--single-threaded'];

export type Done = Extract<FromWorker, { kind: 'done' }>;
export type WorkerEnd = { readonly kind: 'done'; readonly done: Done } | { readonly kind: 'died'; readonly message: string };

export interface WorkerProcessOptions {
  /** Node and V8 flags of the worker (default WORKER_FLAGS). */
  readonly flags?: readonly string[];
  /** Confines the worker to this CPU (taskset): the bench's one core. */
  readonly core?: number;
  readonly onMessage?: (m: Exclude<FromWorker, { kind: 'done' | 'failed' }>) => void;
}

export interface WorkerProcess {
  /** Asks the worker to stop at its next step and store what it has. */
  stop(): void;
  /** Resolves once the worker has exited: with its summary, or with why there is none. */
  readonly ended: Promise<WorkerEnd>;
}

// the child's stdout goes to our stderr: our stdout is the summary (and --json's line) alone
const STDIO: StdioOptions = ['ignore', 2, 'inherit', 'ipc'];

function start(o: WorkerProcessOptions): ChildProcess {
  const flags = [...(o.flags ?? WORKER_FLAGS)];
  if (o.core === undefined) return fork(ENTRY, [FUZZ_WORKER], { execArgv: flags, stdio: STDIO, serialization: 'advanced' });
  return spawn('taskset', ['-c', String(o.core), process.execPath, ...flags, ENTRY, FUZZ_WORKER], { stdio: STDIO, serialization: 'advanced' });
}

export function startWorker(name: string, data: WorkerCampaignData, o: WorkerProcessOptions = {}): WorkerProcess {
  const child = start(o);
  const send = (m: ToWorker): void => {
    // a worker that already ended (or never started) has nothing left to be told
    if (child.connected) child.send(m, (e) => e && undefined);
  };
  const ended = new Promise<WorkerEnd>((resolve) => {
    let done: Done | undefined;
    let failed: string | undefined;
    child.on('message', (m: FromWorker) => {
      if (m.kind === 'done') done = m;
      else if (m.kind === 'failed') failed = m.message;
      else o.onMessage?.(m);
    });
    child.on('error', (e) => resolve({ kind: 'died', message: `${name} could not be started: ${e.message}` }));
    child.on('exit', (code, signal) => {
      if (done !== undefined && failed === undefined) return resolve({ kind: 'done', done });
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;
      resolve({ kind: 'died', message: failed !== undefined ? `${name} failed: ${failed}` : `${name} (pid ${String(child.pid)}) ${how} before its summary` });
    });
  });
  send({ kind: 'start', data });
  return { stop: () => send({ kind: 'stop' }), ended };
}
