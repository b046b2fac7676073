// A bench campaign's throw-away --out: a finding nobody knows is shrunk (briefly) and stored there, then removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `f` given a fresh directory that is removed when it ends, however it ends. */
export async function withTempOut<T>(f: (out: string) => Promise<T>): Promise<T> {
  const out = mkdtempSync(join(tmpdir(), 'bgcheck-bench-'));
  try {
    return await f(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
