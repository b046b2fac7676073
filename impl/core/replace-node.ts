// bdrv_replace_node / bdrv_append: move parents from one node to another, then refresh perms.
import type { BlockEnv } from './block-env.ts';
import { attachChildNoPerm, releaseIfOrphan } from './attach.ts';
import { chainLink } from './freeze.ts';
import type { BlockNode, Edge } from './graph.ts';
import { detachEdge, replaceEdgeChild } from './graph-edit.ts';
import { refreshPerms } from './refresh.ts';
import { OK, fail, raisedAt } from './result.ts';
import type { Result } from './result.ts';
import { COW, FILTERED_PRIMARY } from './role.ts';
import type { Transaction } from './transaction.ts';
import { QEMU_7_2 } from '../behaviour.ts';
import type { Behaviour } from '../behaviour.ts';

/** should_update_child: job edges stay; an edge reachable from `to` would close a loop, so it stays too. */
export function shouldUpdateChild(c: Edge, to: BlockNode, behaviour: Behaviour = QEMU_7_2): boolean {
  if (c.parent.kind === 'job') return false;
  // quirk mirror-allows-loops (before "bdrv_replace_node: don't create loops"): only `to`'s own edges stay
  if (behaviour.quirks.has('mirror-allows-loops')) return !(c.parent.kind === 'node' && c.parent.node === to);
  const found = new Set<BlockNode>([to]);
  const queue: BlockNode[] = [to];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const c2 of v.children) {
      if (c2 === c) return false;
      if (found.has(c2.child)) continue;
      found.add(c2.child);
      queue.push(c2.child);
    }
  }
  return true;
}

export interface ReplaceOptions {
  /** Skip parents that must not move instead of failing. */
  readonly autoSkip: boolean;
  /** Also detach the chain link just above `to` (bdrv_drop_filter). */
  readonly detachSubchain?: boolean;
}

/** bdrv_replace_node_noperm: parents are visited newest first; each moved one goes to the head of `to`. */
function replaceNoPerm(env: BlockEnv, tx: Transaction, from: BlockNode, to: BlockNode, autoSkip: boolean): Result<void> {
  for (const c of [...from.parents]) {
    if (!shouldUpdateChild(c, to, env.behaviour)) {
      if (autoSkip) continue;
      return raisedAt(fail('in-use', `Should not change '${c.name}' link to '${from.name}'`), 'bdrv_replace_node_noperm', 'block.c:0');
    }
    if (c.frozen) return raisedAt(fail('frozen', `Cannot change '${c.name}' link to '${from.name}'`), 'bdrv_replace_node_noperm', 'block.c:0');
    replaceEdgeChild(env, tx, c, to);
  }
  return OK;
}

/** bdrv_replace_node_common, inside the caller's transaction. */
export function replaceNode(env: BlockEnv, tx: Transaction, from: BlockNode, to: BlockNode, opts: ReplaceOptions): Result<void> {
  let toCowParent: BlockNode | undefined;
  if (opts.detachSubchain) {
    toCowParent = from;
    while (toCowParent && chainLink(toCowParent)?.child !== to) toCowParent = chainLink(toCowParent)?.child;
  }
  const r = replaceNoPerm(env, tx, from, to, opts.autoSkip);
  if (!r.ok) return r;
  const link = toCowParent ? chainLink(toCowParent) : undefined;
  if (link) detachEdge(env, tx, link);
  const r2 = refreshPerms(tx, env.graph, [to, from]);
  if (!r2.ok) return r2;
  // bdrv_replace_child_commit unrefs the old children: a node only the moved edges held is freed
  releaseIfOrphan(env, tx, from);
  if (link) releaseIfOrphan(env, tx, link.child);
  return OK;
}

/** bdrv_append: `top` becomes the backing child of the new filter, which takes over top's parents. */
export function appendNode(env: BlockEnv, tx: Transaction, filter: BlockNode, top: BlockNode): Result<void> {
  const role = filter.driver.isFilter ? FILTERED_PRIMARY : COW;
  const e = attachChildNoPerm(env, tx, filter, top, 'backing', role);
  if (!e.ok) return e;
  const r = replaceNoPerm(env, tx, top, filter, true);
  if (!r.ok) return r;
  return refreshPerms(tx, env.graph, [filter]);
}
