import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qdictOrder, tdbHash } from './qdict-order.ts';

/** qobject/qdict.c's tdb_hash over the key's UTF-8 bytes, written plainly. */
function reference(name: string): number {
  const bytes = new TextEncoder().encode(name);
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) value = (value + ((bytes[i]! << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

describe('tdbHash', () => {
  it('hashes the UTF-8 bytes, ASCII or not', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => tdbHash(s) === reference(s)), { numRuns: 2000 });
    for (const s of ['', 'driver', 'node-name', 'é', '\u007f', '\u0080', '😀']) expect(tdbHash(s)).toBe(reference(s));
  });

  it('orders keys by bucket, newest first within one', () => {
    const keys = ['driver', 'node-name', 'file', 'read-only', 'a', 'b'];
    const order = qdictOrder(keys);
    expect([...order].sort()).toEqual([...keys].sort());
    const bucket = (k: string): number => tdbHash(k) % 512;
    for (let i = 1; i < order.length; i++) expect(bucket(order[i - 1]!) <= bucket(order[i]!)).toBe(true);
  });
});
