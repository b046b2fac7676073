// Worker threads that expand batches of states (explore-worker.ts); each takes the next batch when it is free.
import { Worker } from 'node:worker_threads';
import type { Expansion, ExploreJob, FrontierState } from './expander.ts';

interface Task {
  readonly id: number;
  readonly states: readonly FrontierState[];
  readonly resolve: (r: Expansion[]) => void;
  readonly reject: (e: Error) => void;
}

export type WorkerReply = { readonly id: number; readonly results: Expansion[] } | { readonly id: number; readonly error: string };

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failed: Error | undefined;

  constructor(job: ExploreJob, size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(ENTRY, { workerData: job });
      w.on('message', (m: WorkerReply) => this.settle(w, m));
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(w, new Error(`explore worker exited with code ${code}`));
      });
      this.idle.push(w);
    }
  }

  expand(states: readonly FrontierState[]): Promise<Expansion[]> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.queue.push({ id: this.nextId++, states, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (let w = this.idle.pop(); w !== undefined; w = this.idle.pop()) {
      const t = this.queue.shift();
      if (t === undefined) {
        this.idle.push(w);
        return;
      }
      this.busy.set(w, t);
      w.postMessage({ id: t.id, states: t.states });
    }
  }

  private settle(w: Worker, m: WorkerReply): void {
    const t = this.busy.get(w);
    this.busy.delete(w);
    this.idle.push(w);
    if (t !== undefined) {
      if ('error' in m) t.reject(new Error(`explore worker: ${m.error}`));
      else t.resolve(m.results);
    }
    this.pump();
  }

  private fail(w: Worker, e: Error): void {
    this.failed ??= e;
    this.busy.get(w)?.reject(e);
    this.busy.delete(w);
    for (const t of this.queue.splice(0)) t.reject(e);
  }

  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
