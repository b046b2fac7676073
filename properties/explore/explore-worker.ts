// A worker thread's side of WorkerPool: expands each batch it is sent and posts the expansions back.
import { parentPort, workerData } from 'node:worker_threads';
import { Expander } from './expander.ts';
import type { ExploreJob, FrontierState } from './expander.ts';
import type { WorkerReply } from './worker-pool.ts';

const port = parentPort;
if (port === null) throw new Error('explore-worker: not in a worker thread');
// the pool passes the job it was built with; structured clone keeps it plain data
const expander = new Expander(workerData as ExploreJob);

port.on('message', (m: { readonly id: number; readonly states: readonly FrontierState[] }) => {
  void (async (): Promise<void> => {
    let reply: WorkerReply;
    try {
      const results = [];
      for (const s of m.states) results.push(await expander.expand(s));
      reply = { id: m.id, results };
    } catch (e) {
      reply = { id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  })();
});
