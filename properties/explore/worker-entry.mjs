// Workers start without the main thread's TypeScript loader: load the worker (explore's thread, or the module a child
// process gets as its first argument: fuzz's) from the bundle bin/bgcheck.js runs from (BGCHECK_BUNDLED), else tsx.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// a child process (child_process.fork) is named its module on its command line; explore's threads load theirs
const argued = isMainThread ? process.argv[2] : undefined;
const entry = argued ?? new URL('./explore-worker.ts', import.meta.url).href;
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
