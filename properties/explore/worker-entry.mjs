// Workers start without the main thread's TypeScript loader: load the worker (explore's thread, the module a pool
// names in workerData.entry, or the module a child process gets as its first argument: fuzz's) from the bundle
// bin/bgcheck.js runs from (BGCHECK_BUNDLED), else through tsx.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const named = typeof workerData === 'object' && workerData !== null && typeof workerData.entry === 'string' ? workerData.entry : undefined;
// a child process (child_process.fork) has no workerData: its module is named on its command line
const argued = isMainThread ? process.argv[2] : undefined;
const entry = named ?? argued ?? new URL('./explore-worker.ts', import.meta.url).href;
const dir = process.env.BGCHECK_BUNDLED;
// the bundle mirrors the tree: properties/fuzz/fuzz-worker.ts is properties/fuzz/fuzz-worker.mjs there
const root = fileURLToPath(new URL('../..', import.meta.url));
const built = dir === undefined ? undefined : join(dir, relative(root, fileURLToPath(entry)).replace(/\.ts$/, '.mjs'));
if (built !== undefined && existsSync(built)) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(built).href);
} else {
  register();
  await import(entry);
}
