// bdrv_reopen_multiple: prepare every queued node, refresh perms once with the new flags, commit.
import { releaseIfOrphan } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeOptions } from '../core/options.ts';
import { refreshPerms } from '../core/refresh.ts';
import type { ReopenFlags } from '../core/refresh.ts';
import { OK } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import { prepareReopen } from './reopen-prepare.ts';
import { queueReopen } from './reopen-queue.ts';
import type { ReopenEntry } from './reopen-queue.ts';

export function reopenMultiple(env: BlockEnv, tx: Transaction, queue: readonly ReopenEntry[]): Result<void> {
  const refresh: BlockNode[] = [];
  for (const e of queue) {
    const p = prepareReopen(env, tx, e);
    if (!p.ok) return p;
    // bdrv_reopen_multiple prepends each node, then its old backing, then its old file.
    refresh.unshift(e.node);
    if (p.value.oldBacking) refresh.unshift(p.value.oldBacking);
    if (p.value.oldFile) refresh.unshift(p.value.oldFile);
  }
  const flags: ReopenFlags = new Map(queue.map((e) => [e.node, { readOnly: e.readOnly }]));
  const r = refreshPerms(tx, env.graph, refresh, flags);
  if (!r.ok) return r;
  for (const e of [...queue].reverse()) {
    tx.set(e.node, 'readOnly', e.readOnly);
    tx.set(e.node, 'options', nodeOptions(e.explicit, env.behaviour.quirks.has('stale-child-options')));
    if (typeof e.options['discard'] === 'string') tx.set(e.node.state, 'discard', e.options['discard']);
    e.node.driver.reopen?.commit?.(env, tx, e.node, e.options);
  }
  for (const n of refresh) releaseIfOrphan(env, tx, n);
  return OK;
}

/** bdrv_reopen_set_read_only: an internal reopen that keeps every other option (keep_old_opts). */
export function reopenSetReadOnly(env: BlockEnv, tx: Transaction, node: BlockNode, readOnly: boolean): Result<void> {
  const queue: ReopenEntry[] = [];
  queueReopen(queue, node, { 'read-only': readOnly }, true);
  return reopenMultiple(env, tx, queue);
}
