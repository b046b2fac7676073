#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `bgcheck` works right after `npm ci`, from any directory.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/bgcheck.ts');
process.exitCode = await main(process.argv);
