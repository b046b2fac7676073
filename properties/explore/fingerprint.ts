// A state's fingerprint: a hash of its canonical digest, the smallest over the renamings of user node names that
// keep each node's own description (its colour), so states that differ only in which pool names they used are one.
import { createHash } from 'node:crypto';
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { BlockNode } from '../../impl/core/graph.ts';
import { StateDigest } from './state-digest.ts';

/** Beyond this many candidate renamings, one is taken: merging fewer states is never unsound, only slower. */
const MAX_RENAMINGS = 120;

/** What a node is, whatever it is called: renamings only ever swap nodes of one colour. */
function colour(n: BlockNode): string {
  const names = (xs: readonly { readonly name: string }[]): string => xs.map((e) => e.name).sort().join(',');
  return [n.driver.name, n.readOnly, n.filename ?? '', n.size, names(n.children), n.parents.length, Object.keys(n.options).sort().join(',')].join('|');
}

/** Every ordering of `xs`. */
function orderings<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orderings([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** Candidate orders of the user nodes: by colour, and every order within a colour (up to MAX_RENAMINGS in all). */
function candidateOrders(nodes: readonly BlockNode[]): BlockNode[][] {
  const byColour = new Map<string, BlockNode[]>();
  for (const n of [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const c = colour(n);
    byColour.set(c, [...(byColour.get(c) ?? []), n]);
  }
  const groups = [...byColour].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const count = groups.reduce((p, g) => p * orderings(g).length, 1);
  if (count > MAX_RENAMINGS) return [groups.flat()];
  let out: BlockNode[][] = [[]];
  for (const g of groups) out = out.flatMap((prefix) => orderings(g).map((o) => [...prefix, ...o]));
  return out;
}

export class Fingerprinter {
  private readonly digest = new StateDigest();

  /** `renaming`: whether states may be merged up to a renaming of `pool` names (the universe is symmetric in them). */
  constructor(
    private readonly pool: readonly string[],
    private readonly renaming: boolean,
  ) {}

  /** The canonical text (tests compare it); `parted` says the model comparison has stopped for this sequence. */
  text(env: BlockEnv, parted: boolean): string {
    const head = parted ? 'model parted' : 'model on';
    const user = [...env.graph.nodes.values()].filter((n) => !n.autoNamed && this.pool.includes(n.name));
    if (!this.renaming || user.length === 0) return `${head}\n${this.digest.digest(env, (x) => x)}`;
    let best: string | undefined;
    for (const order of candidateOrders(user)) {
      const to = new Map(order.map((n, i) => [n.name, `@${i}`]));
      const d = this.digest.digest(env, (x) => to.get(x) ?? x);
      if (best === undefined || d < best) best = d;
    }
    return `${head}\n${best ?? ''}`;
  }

  /** 128 bits of SHA-256 over the canonical text, in hex. */
  fingerprint(env: BlockEnv, parted: boolean): string {
    return createHash('sha256').update(this.text(env, parted)).digest('hex').slice(0, 32);
  }
}
