// String ordering as Python's sorted() does it (by code point), so sort orders match qmprun.py.

/** Compares by Unicode code point; JS `<` compares UTF-16 units, which misorders astral vs U+E000–U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // a surrogate unit starts an astral code point, which is above every BMP code point
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Python's sorted() on a list of str, stable. */
export function sortedStrings(xs: readonly string[]): string[] {
  return [...xs].sort(compareCodePoints);
}
