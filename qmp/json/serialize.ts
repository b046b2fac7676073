// One iterative JSON writer for every text form (QEMU's replies, the wire, fixture files): no recursion, any depth.
import { isQmpDouble } from './qnum.ts';

export interface TextStyle {
  /** A scalar (string, number, bigint, boolean, null, QmpDouble); undefined when the value is not JSON. */
  scalar(v: unknown): string | undefined;
  /** An object's keys in output order (undefined-valued keys already left out). */
  keys(keys: readonly string[]): readonly string[];
  /** JSON.stringify's indent (fixture files), or undefined for one line with `item` and `colon` between parts. */
  readonly indent?: number;
  readonly item: string;
  readonly colon: string;
}

type Frame = { readonly close: string; readonly parts: readonly (() => void)[]; next: number; readonly depth: number; readonly empty: string };

export class NotJsonError extends TypeError {}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !isQmpDouble(v);
}

/** Writes `v` in `style`; values that are not JSON (functions, symbols, cycles of course) are a bug and throw NotJsonError. */
export function serialize(v: unknown, style: TextStyle): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const pad = (depth: number): string => (style.indent === undefined ? '' : '\n' + ' '.repeat(style.indent * depth));
  const write = (x: unknown, depth: number): void => {
    if (!isContainer(x)) {
      const s = style.scalar(x);
      if (s === undefined) throw new NotJsonError(`not JSON: ${typeof x}`);
      out.push(s);
      return;
    }
    const items: (() => void)[] = [];
    if (Array.isArray(x)) {
      for (const el of x as readonly unknown[]) items.push(() => write(el, depth + 1));
      stack.push({ close: ']', parts: items, next: 0, depth, empty: '[]' });
      out.push('[');
      return;
    }
    const obj = x as Readonly<Record<string, unknown>>;
    for (const k of style.keys(Object.keys(obj).filter((key) => obj[key] !== undefined))) {
      items.push(() => {
        out.push(style.scalar(k) ?? '""', style.indent === undefined ? style.colon : ': ');
        write(obj[k], depth + 1);
      });
    }
    stack.push({ close: '}', parts: items, next: 0, depth, empty: '{}' });
    out.push('{');
  };
  write(v, 0);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.next < f.parts.length) {
      const i = f.next++;
      out.push(i === 0 ? pad(f.depth + 1) : (style.indent === undefined ? style.item : ',') + pad(f.depth + 1));
      f.parts[i]!();
      continue;
    }
    stack.pop();
    if (f.parts.length === 0) {
      // an empty container was opened with its first bracket already
      out[out.length - 1] = f.empty;
      continue;
    }
    out.push(pad(f.depth) + f.close);
  }
  return out.join('');
}
