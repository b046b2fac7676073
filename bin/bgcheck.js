#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `bgcheck` works right after `npm ci`, from any directory.
import { register } from 'tsx/esm/api';

// a reader that went away (`bgcheck replay ... | head`) ends us quietly, as it ends any Unix tool
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
register();
const { main } = await import('../cli/bgcheck.ts');
process.exitCode = await main(process.argv);
