// Which leftover key QEMU's input visitor names as unexpected: qobject_input_check_struct takes the first one a GLib
// GHashTable iterates. This is GLib 2.74's table (ghash.c): open addressing, (hash * 11) % prime, quadratic probing,
// tombstones, and the resizes inserts and removals trigger, keyed by g_str_hash.

const MIN_SHIFT = 3;
const PRIME_MOD = [1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521];
const UNUSED = 0;
const TOMBSTONE = 1;

/** g_str_hash (djb2 over *signed* chars of the UTF-8 bytes). */
export function gStrHash(key: string): number {
  let h = 5381;
  for (const b of new TextEncoder().encode(key)) h = (Math.imul(h, 33) + (b >= 0x80 ? b - 256 : b)) >>> 0;
  return h;
}

class GHashSet {
  private size = 1 << MIN_SHIFT;
  private mod = PRIME_MOD[MIN_SHIFT]!;
  private hashes: number[] = new Array<number>(this.size).fill(UNUSED);
  private keys: (string | undefined)[] = new Array<string | undefined>(this.size).fill(undefined);
  private nnodes = 0;
  private noccupied = 0;

  private index(hash: number): number {
    // guint arithmetic: the product wraps at 2^32 before the modulo
    return (Math.imul(hash, 11) >>> 0) % this.mod;
  }

  private lookup(key: string, hash: number): number {
    let i = this.index(hash);
    let tomb: number | undefined;
    for (let step = 0; this.hashes[i] !== UNUSED; ) {
      if (this.hashes[i] === hash && this.keys[i] === key) return i;
      if (this.hashes[i] === TOMBSTONE && tomb === undefined) tomb = i;
      step++;
      i = (i + step) & (this.size - 1);
    }
    return tomb ?? i;
  }

  insert(key: string): void {
    const hash = Math.max(2, gStrHash(key));
    const i = this.lookup(key, hash);
    const old = this.hashes[i]!;
    if (old >= 2) return;
    this.hashes[i] = hash;
    this.keys[i] = key;
    this.nnodes++;
    if (old === UNUSED) {
      this.noccupied++;
      this.maybeResize();
    }
  }

  remove(key: string): void {
    const hash = Math.max(2, gStrHash(key));
    const i = this.lookup(key, hash);
    if ((this.hashes[i] ?? UNUSED) < 2) return;
    this.hashes[i] = TOMBSTONE;
    this.keys[i] = undefined;
    this.nnodes--;
    this.maybeResize();
  }

  first(): string | undefined {
    const i = this.hashes.findIndex((h) => h >= 2);
    return i < 0 ? undefined : this.keys[i];
  }

  private maybeResize(): void {
    const n = this.noccupied;
    if ((this.size > this.nnodes * 4 && this.size > 1 << MIN_SHIFT) || this.size <= n + Math.floor(n / 16)) this.resize();
  }

  /** g_hash_table_resize with resize_map's in-place eviction chains, bucket by bucket in old order. */
  private resize(): void {
    const oldSize = this.size;
    let shift = 0;
    for (let n = Math.trunc(this.nnodes * 1.333); n; n >>= 1) shift++;
    shift = Math.max(shift, MIN_SHIFT);
    this.size = 1 << shift;
    this.mod = PRIME_MOD[shift]!;
    while (this.hashes.length < this.size) (this.hashes.push(UNUSED), this.keys.push(undefined));
    const moved = new Set<number>();
    for (let i = 0; i < oldSize; i++) {
      let hash = this.hashes[i]!;
      if (hash < 2) {
        this.hashes[i] = UNUSED;
        continue;
      }
      if (moved.has(i)) continue;
      this.hashes[i] = UNUSED;
      let key = this.keys[i];
      this.keys[i] = undefined;
      for (;;) {
        let j = this.index(hash);
        for (let step = 0; moved.has(j); ) (step++, (j = (j + step) & (this.size - 1)));
        moved.add(j);
        const replaced = this.hashes[j]!;
        const evicted = this.keys[j];
        this.hashes[j] = hash;
        this.keys[j] = key;
        if (replaced < 2) break;
        hash = replaced;
        key = evicted;
      }
    }
    this.hashes.length = this.size;
    this.keys.length = this.size;
    this.noccupied = this.nnodes;
  }
}

/** The key QEMU reports as unexpected: `inserted` in QDict order, `consumed` in the order the visitor took them. */
export function firstLeftover(inserted: readonly string[], consumed: readonly string[]): string | undefined {
  const h = new GHashSet();
  for (const k of inserted) h.insert(k);
  for (const k of consumed) h.remove(k);
  return h.first();
}
