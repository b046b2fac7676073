// A checksum observation's SHA-256 (ServedChecksum) of content stated as runs of one byte value, as the impl reads
// it and the model states it.
import { createHash } from 'node:crypto';

const CHUNK = 1 << 20;

export function runsSha256(runs: Iterable<{ readonly length: number; readonly byte: number }>): string {
  const h = createHash('sha256');
  for (const r of runs) {
    // one filled chunk a run, fed again and again: a 1 GiB null-co read allocated and filled 1,024 of them
    const chunk = Buffer.alloc(Math.min(CHUNK, r.length), r.byte);
    for (let left = r.length; left > 0; left -= CHUNK) h.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
  }
  return h.digest('hex');
}
