// bdrv_reopen_multiple: prepare every queued node, refresh perms once with the new flags, commit.
import { releaseIfOrphan } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeOptions, stripChildOptions } from '../core/options.ts';
import { RESET_EXEMPT } from './reopen-prepare.ts';
import { refreshPerms } from '../core/refresh.ts';
import type { ReopenFlags } from '../core/refresh.ts';
import { DEATHS } from '../core/deaths.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { checkCutFromDrain as checkCut, inDrainedSubtree } from '../core/subtree-drain.ts';
import { OK } from '../core/result.ts';
import { discardOption } from '../core/generic-options.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import { prepareReopen } from './reopen-prepare.ts';
import { queueReopen } from './reopen-queue.ts';
import type { ReopenEntry } from './reopen-queue.ts';

/**
 * `roots`: the nodes the caller drained; a queued child an earlier entry cut off from them is no longer quiesced.
 * `quiesced`: the simulated drain counters (drain-counters.ts), when the caller runs them: then they decide, and
 * the approximation by subtree membership and cut edges is not used.
 */
export function reopenMultiple(
  env: BlockEnv,
  tx: Transaction,
  queue: readonly ReopenEntry[],
  roots: readonly BlockNode[],
  quiesced?: (bs: BlockNode) => boolean,
): Result<void> {
  const checkCutFromDrain = quiesced ? (_: readonly BlockNode[]): void => undefined : checkCut;
  const refresh: BlockNode[] = [];
  // children the prepares cut off: their drain is unapplied at once, whatever the reopen's outcome
  const cut: BlockNode[] = [];
  for (const e of queue) {
    if (!(quiesced ? quiesced(e.node) : inDrainedSubtree(e.node, roots))) dieNow(DEATHS.reopenNotQuiesced);
    const edges = [...e.node.children];
    const p = prepareReopen(env, tx, e);
    cut.push(...edges.filter((x) => !e.node.children.includes(x)).map((x) => x.child));
    if (!p.ok) {
      checkCutFromDrain(cut);
      return p;
    }
    // DFS starts in queue order: each node, then its old backing, then its old file (last start checked first).
    refresh.push(e.node);
    if (p.value.oldBacking) refresh.push(p.value.oldBacking);
    if (p.value.oldFile) refresh.push(p.value.oldFile);
  }
  const flags: ReopenFlags = new Map(queue.map((e) => [e.node, { readOnly: e.readOnly }]));
  const r = refreshPerms(tx, env.graph, refresh, flags);
  if (!r.ok) {
    checkCutFromDrain(cut);
    return r;
  }
  for (const e of [...queue].reverse()) {
    tx.set(e.node, 'readOnly', e.readOnly);
    // bs->options keeps what a keep_old_opts requeue filled in; bs->explicit_options does not
    const kept = Object.keys(stripChildOptions(e.options)).filter((k) => !(k in e.explicit) && !RESET_EXEMPT.includes(k));
    tx.set(e.node, 'options', nodeOptions({ ...Object.fromEntries(kept.map((k) => [k, e.options[k] ?? null])), ...e.explicit }, env.behaviour.quirks.has('stale-child-options')));
    tx.set(e.node, 'keptOptions', kept);
    const discard = discardOption(e.options);
    if (discard.ok && discard.value !== undefined) tx.set(e.node, 'discard', discard.value);
    tx.set(e.node, 'optionsOldestFirst', e.oldestFirst);
    e.node.driver.reopen?.commit?.(env, tx, e.node, e.options);
  }
  for (const n of [...refresh].reverse()) releaseIfOrphan(env, tx, n);
  checkCutFromDrain(cut);
  return OK;
}

/** bdrv_reopen_set_read_only: an internal reopen that keeps every other option (keep_old_opts). */
export function reopenSetReadOnly(env: BlockEnv, tx: Transaction, node: BlockNode, readOnly: boolean): Result<void> {
  const queue: ReopenEntry[] = [];
  queueReopen(queue, node, { 'read-only': readOnly }, true);
  return reopenMultiple(env, tx, queue, [node]);
}
