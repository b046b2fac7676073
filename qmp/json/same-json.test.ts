import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qmpDouble } from './qnum.ts';
import { sameJson } from './same-json.ts';
import { wireJson } from './wire-text.ts';

/** JSON-ish values with what wireJson treats specially: undefined members and items, bigints, doubles, -0. */
const leaf = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, 1, 1n, -1, 2 ** 53, 2n ** 64n, '', 'a', 'b', '1'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => qmpDouble(d)),
  fc.constantFrom(qmpDouble(1), qmpDouble(1.5)),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', '1', '0'), tie('v'), { maxKeys: 3 })),
})).v;

describe('sameJson', () => {
  it('says two values are the same exactly when their wire texts are', () => {
    fc.assert(fc.property(value, value, (a, b) => sameJson(a, b) === (wireJson(a) === wireJson(b))), { numRuns: 5000 });
  });

  it('agrees on values that are alike but for what the text leaves out', () => {
    const pairs: [unknown, unknown, boolean][] = [
      [{ a: 1, b: undefined }, { a: 1 }, true],
      [[undefined], [null], true],
      [undefined, null, false],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }, false],
      [1n, 1, true],
      [qmpDouble(1), 1, false],
      [-0, 0, true],
      [[], {}, false],
      [{ x: { y: [1, 'z'] } }, { x: { y: [1, 'z'] } }, true],
      [{ x: { y: [1, 'z'] } }, { x: { y: [1, 'y'] } }, false],
    ];
    for (const [a, b, same] of pairs) expect(sameJson(a, b), `${wireJson(a)} ${wireJson(b)}`).toBe(same);
  });

  it('throws on what is not JSON, as the texts would', () => {
    expect(() => sameJson(Infinity, Infinity)).toThrow();
    expect(() => sameJson({ a: Symbol('s') }, { a: 1 })).toThrow();
  });

  it('does not recurse: deep values are compared', () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 100_000; i++) [a, b] = [[a], [b]];
    expect(sameJson(a, b)).toBe(true);
  });
});
