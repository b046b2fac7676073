// A checksum observation's SHA-256 (ServedChecksum) of content stated as runs of one byte value, as the impl reads
// it and the model states it.
import { createHash } from 'node:crypto';

const CHUNK = 1 << 20;
/** Past this many distinct contents a memo starts afresh (a campaign reads a few dozen). */
const MEMO_LIMIT = 512;

type Runs = readonly { readonly length: number; readonly byte: number }[];

export function runsSha256(runs: Runs): string {
  const h = createHash('sha256');
  for (const r of runs) {
    // one filled chunk a run, fed again and again: a 1 GiB null-co read allocated and filled 1,024 of them
    const chunk = Buffer.alloc(Math.min(CHUNK, r.length), r.byte);
    for (let left = r.length; left > 0; left -= CHUNK) h.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
  }
  return h.digest('hex');
}

/** The content itself as text: neighbours with the same byte merged, empty runs dropped (neither changes the hash). */
function contentKey(runs: Runs): string {
  let key = '';
  let [length, byte] = [0, NaN];
  for (const r of runs) {
    if (r.length === 0) continue;
    if (r.byte === byte) length += r.length;
    else {
      if (length > 0) key += `${length}:${byte},`;
      [length, byte] = [r.length, r.byte];
    }
  }
  return length > 0 ? `${key}${length}:${byte}` : key;
}

/**
 * Checksums already computed, by content: the model's side hashes the bytes the impl just hashed, and the same
 * images are read again step after step and run after run (hashing was 5% of `bgcheck fuzz`).
 */
export class Sha256Memo {
  private readonly known = new Map<string, string>();

  sha256(runs: Runs): string {
    const key = contentKey(runs);
    const hit = this.known.get(key);
    if (hit !== undefined) return hit;
    if (this.known.size >= MEMO_LIMIT) this.known.clear();
    const sum = runsSha256(runs);
    this.known.set(key, sum);
    return sum;
  }
}
