// Temp dirs for tests: made fresh in the system temp dir and removed by a vitest hook, so no test file keeps its own
// list and cleanup. In qmp/ because qmp/ is the one folder the tests of every layer may import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/** How long a dir lives: to the end of the test that made it, or of the file or describe that called tempDirs. */
export type TempDirLifetime = 'each' | 'all';

/**
 * A maker of fresh dirs named `prefix…`. Call it where hooks may go (a file's top level or a describe's body):
 * it removes every dir it made after each test there, or once after all of them (`'all'`, for dirs tests share).
 */
export function tempDirs(prefix: string, lifetime: TempDirLifetime = 'each'): () => string {
  const made: string[] = [];
  const removeMade = (): void => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  };
  if (lifetime === 'each') afterEach(removeMade);
  else afterAll(removeMade);
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
