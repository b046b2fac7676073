// QEMU 7.2's drain counters, simulated while a drained section is open (block/io.c, bdrv_replace_child_noperm):
// bs->quiesce_counter, bs->recursive_quiesce_counter and each BdrvChild's parent_quiesce_counter, updated on every
// child replacement the way 7.2 does it. Where 7.2 miscounts, the assertions it trips are thrown here.
import type { BlockNode, Edge } from './graph.ts';
import type { BlockEnv } from './block-env.ts';
import { DEATHS } from './deaths.ts';
import type { Death } from './deaths.ts';
import { dieNow } from './qemu-dies.ts';

export class DrainCounters {
  private readonly q = new Map<BlockNode, number>();
  private readonly rq = new Map<BlockNode, number>();
  private readonly pq = new Map<Edge, number>();
  /** Set once an assertion fired: QEMU is gone, later edits (the impl unwinding) are not simulated. */
  dead = false;

  quiesce(bs: BlockNode): number {
    return this.q.get(bs) ?? 0;
  }

  private add<K>(m: Map<K, number>, k: K, d: number): void {
    m.set(k, (m.get(k) ?? 0) + d);
  }

  private fire(death: Death): never {
    this.dead = true;
    return dieNow(death);
  }

  /** bdrv_parent_drained_begin_single; child_of_bds quiesces the parent node (bdrv_do_drained_begin_quiesce). */
  private beginSingle(c: Edge): void {
    this.add(this.pq, c, 1);
    if (c.parent.kind === 'node') this.beginQuiesce(c.parent.node, undefined);
  }

  private beginQuiesce(bs: BlockNode, ignore: Edge | undefined): void {
    this.add(this.q, bs, 1);
    for (const c of [...bs.parents]) if (c !== ignore) this.beginSingle(c);
  }

  /** bdrv_parent_drained_end_single_no_poll; child_of_bds ends the parent node's drain (bdrv_drained_end_no_poll). */
  private endSingle(c: Edge): void {
    if ((this.pq.get(c) ?? 0) <= 0) this.fire(DEATHS.parentQuiesceUnderflow);
    this.add(this.pq, c, -1);
    if (c.parent.kind === 'node') this.end(c.parent.node, false, undefined);
  }

  /** bdrv_do_drained_begin */
  begin(bs: BlockNode, recursive: boolean, ignore: Edge | undefined): void {
    this.beginQuiesce(bs, ignore);
    if (!recursive) return;
    this.add(this.rq, bs, 1);
    for (const c of [...bs.children]) this.begin(c.child, true, c);
  }

  /** bdrv_do_drained_end */
  end(bs: BlockNode, recursive: boolean, ignore: Edge | undefined): void {
    if (this.quiesce(bs) <= 0) this.fire(DEATHS.quiesceUnderflow);
    for (const c of [...bs.parents]) if (c !== ignore) this.endSingle(c);
    this.add(this.q, bs, -1);
    if (!recursive) return;
    this.add(this.rq, bs, -1);
    for (const c of [...bs.children]) this.end(c.child, true, c);
  }

  /**
   * bdrv_replace_child_noperm(c, to), called once the impl's lists already show `c` moved from `from` to `to`
   * (attach: from undefined; detach: to undefined). 7.2 unapplies the old subtree's drain before taking `c` out
   * of the old node's parent list and applies the new one's after putting it into the new node's.
   */
  replaced(c: Edge, from: BlockNode | undefined, to: BlockNode | undefined): void {
    if (this.dead) return;
    const newQ0 = to ? this.quiesce(to) : 0;
    let saldo = newQ0 - (this.pq.get(c) ?? 0);
    for (; saldo > 0; saldo--) this.beginSingle(c);
    const parent = c.parent.kind === 'node' ? c.parent.node : undefined;
    // child_of_bds .detach: bdrv_unapply_subtree_drain, while `c` is still in the old node's parent list: a
    // drained_end coming back up to the old node by another path (the old node's subtree reaching its parent
    // twice) ends `c`'s own quiesce too, which the saldo below ends once more
    if (from && parent && (this.rq.get(parent) ?? 0) > 0) {
      const listed = from.parents.includes(c);
      if (!listed) from.parents.unshift(c);
      try {
        for (let i = this.rq.get(parent) ?? 0; i > 0; i--) this.end(from, true, c);
      } finally {
        if (!listed) from.parents.splice(from.parents.indexOf(c), 1);
      }
    }
    if (to) {
      if (this.quiesce(to) > newQ0) this.fire(DEATHS.newChildOverQuiesced);
      saldo += this.quiesce(to) - newQ0;
      // child_of_bds .attach: bdrv_apply_subtree_drain
      if (parent) for (let i = this.rq.get(parent) ?? 0; i > 0; i--) this.begin(to, true, c);
    }
    for (; saldo < 0; saldo++) this.endSingle(c);
  }
}

/**
 * bdrv_subtree_drained_begin on each root in order, `fn`, then bdrv_subtree_drained_end in reverse order; meanwhile
 * every child replacement (graph-edit.ts) updates the counters through env.drainedSection.
 */
export function withSubtreeDrains<R>(
  env: BlockEnv,
  roots: readonly BlockNode[],
  fn: (quiesced: (bs: BlockNode) => boolean) => R,
  beforeEnd?: (r: R) => void,
): R {
  const outer = env.drainedSection;
  const sim = new DrainCounters();
  env.drainedSection = sim;
  try {
    for (const bs of roots) sim.begin(bs, true, undefined);
    const r = fn((bs) => sim.quiesce(bs) > 0);
    beforeEnd?.(r);
    for (const bs of [...roots].reverse()) sim.end(bs, true, undefined);
    return r;
  } finally {
    env.drainedSection = outer;
  }
}
