// Byte ranges of one value each, in order and without gaps from 0: what an image holds or a node serves, range by range.

export interface Span<T> {
  readonly start: number;
  readonly end: number;
  readonly v: T;
}

export const span = <T>(start: number, end: number, v: T): Span<T> => ({ start, end, v });

/** `xs` cut to [start, end) and shifted to start at 0; `past` covers what `xs` does not reach. */
export function windowOf<T>(xs: readonly Span<T>[], start: number, end: number, past: T): Span<T>[] {
  const out = within(xs, start, end).map((x) => span(x.start - start, x.end - start, x.v));
  const reached = out.length === 0 ? 0 : out[out.length - 1]!.end;
  return reached < end - start ? [...out, span(reached, end - start, past)] : out;
}

/** The parts of `xs` inside [start, end), where they are. */
export const within = <T>(xs: readonly Span<T>[], start: number, end: number): Span<T>[] =>
  xs.filter((x) => x.end > start && x.start < end).map((x) => span(Math.max(x.start, start), Math.min(x.end, end), x.v));

/** `xs` with [start, end) made `f` of what was there. */
export function paint<T>(xs: readonly Span<T>[], start: number, end: number, f: (old: T) => T): Span<T>[] {
  const out: Span<T>[] = [];
  for (const x of xs) {
    const [a, b] = [Math.max(x.start, start), Math.min(x.end, end)];
    if (a >= b) out.push(x);
    else out.push(...[span(x.start, a, x.v), span(a, b, f(x.v)), span(b, x.end, x.v)].filter((y) => y.start < y.end));
  }
  return out;
}

/** Several span lists over the same range, cut wherever any changes, each piece `f` of their values there. */
export function zip<T, U>(lists: readonly (readonly Span<T>[])[], f: (vs: readonly T[]) => U): Span<U>[] {
  const cuts = [...new Set(lists.flatMap((xs) => xs.flatMap((x) => [x.start, x.end])))].sort((a, b) => a - b);
  const at = lists.map(() => 0);
  const out: Span<U>[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const vs = lists.map((xs, k) => {
      while (xs[at[k]!]!.end <= cuts[i]!) at[k]!++;
      return xs[at[k]!]!.v;
    });
    out.push(span(cuts[i]!, cuts[i + 1]!, f(vs)));
  }
  return out;
}

/** Two span lists over the same range, piece by piece. */
export const zip2 = <A, B, U>(xs: readonly Span<A>[], ys: readonly Span<B>[], f: (a: A, b: B) => U): Span<U>[] =>
  zip<A | B, U>([xs, ys], ([a, b]) => f(a as A, b as B));

/** Adjacent spans whose values `same` calls equal, as one. */
export function merged<T>(xs: readonly Span<T>[], same: (a: T, b: T) => boolean): Span<T>[] {
  const out: Span<T>[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && last.end === x.start && same(last.v, x.v)) out[out.length - 1] = span(last.start, x.end, last.v);
    else out.push(x);
  }
  return out;
}
