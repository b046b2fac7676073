// The tool version fixtures record: package.json's, read once.
import { readFileSync } from 'node:fs';

const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

export const TOOL_VERSION: string =
  typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
