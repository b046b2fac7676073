// Worker threads start without the main thread's TypeScript loader: register tsx, then load the worker: explore's,
// or the module a pool names in workerData.entry (fuzz's workers).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const named = typeof workerData === 'object' && workerData !== null && typeof workerData.entry === 'string' ? workerData.entry : undefined;
await import(named ?? './explore-worker.ts');
