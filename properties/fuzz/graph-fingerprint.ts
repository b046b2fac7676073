// A structural fingerprint of a normalized graph, for counting distinct states: equal JSON text, equal fingerprint;
// different text, a different one but for a 53-bit hash collision (about 1 in 10^6 over 10^5 states).
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { JsonValue } from '../../qmp/types.ts';

/** Two 32-bit lanes, FNV-1a and a multiply-xorshift; each input ends with a separator no text contains. */
class Fnv2 {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;

  text(s: string): void {
    let { a, b } = this;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 13;
    }
    // the separator: no char code is 0x10000
    this.a = Math.imul(a ^ 0x10000, 0x01000193);
    b = Math.imul(b ^ 0x10000, 0x5bd1e995);
    this.b = b ^ (b >>> 13);
  }

  /** A JSON value (a node's drv and ro): its kind, then its text. */
  value(v: JsonValue): void {
    if (typeof v === 'string') this.text(`s${v}`);
    else if (typeof v === 'boolean') this.text(v ? 't' : 'f');
    else this.text(`j${JSON.stringify(v)}`);
  }

  list(xs: readonly string[]): void {
    this.text(String(xs.length));
    for (const x of xs) this.text(x);
  }

  /** 53 bits: a safe integer. */
  digest(): number {
    return (this.a >>> 0) * 0x200000 + ((this.b >>> 0) & 0x1fffff);
  }
}

export function graphFingerprint(g: NormalizedGraph): number {
  const h = new Fnv2();
  h.text(String(g.nodes.length));
  for (const n of g.nodes) {
    h.text(n.name);
    h.text(n.type);
    if (n.type === 'block-driver') {
      h.value(n.drv);
      h.value(n.ro);
    }
  }
  h.text(String(g.edges.length));
  for (const e of g.edges) {
    h.text(e.parent);
    h.text(e.name);
    h.text(e.child);
    h.list(e.perm);
    h.list(e['shared-perm']);
  }
  return h.digest();
}
