#!/usr/bin/env node
// Runs the TypeScript CLI so `bgcheck` works right after `npm ci`, from any directory: bundled by esbuild when the
// bundle is current (bundle.mjs), else through tsx.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { bundled } from './bundle.mjs';

// a reader that went away (`bgcheck replay ... | head`) ends us quietly, as it ends any Unix tool
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
const dir = await bundled(fileURLToPath(new URL('..', import.meta.url)));
// worker threads (properties/explore/worker-entry.mjs) load their module from the same bundle, or through tsx
if (dir === undefined) delete process.env.BGCHECK_BUNDLED;
else process.env.BGCHECK_BUNDLED = dir;
let cli;
if (dir === undefined) {
  register();
  cli = await import('../cli/bgcheck.ts');
} else {
  // stack traces name the .ts files, as under tsx
  process.setSourceMapsEnabled(true);
  cli = await import(pathToFileURL(join(dir, 'cli', 'bgcheck.mjs')).href);
}
process.exitCode = await cli.main(process.argv);
