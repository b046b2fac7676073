// blockdev-reopen: queue every listed node (and its implicit children), prepare all, refresh perms once, commit.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { releaseIfOrphan } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { findNode } from '../core/lookup.ts';
import { stripChildOptions } from '../core/options.ts';
import { refreshPerms } from '../core/refresh.ts';
import type { ReopenFlags } from '../core/refresh.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { blockdevRef, listOf, req } from '../qapi/schema.ts';
import { prepareReopen } from '../reopen/reopen-prepare.ts';
import { queueReopen } from '../reopen/reopen-queue.ts';
import type { ReopenEntry } from '../reopen/reopen-queue.ts';

const SCHEMA = [req('options', listOf({ kind: 'blockdev-ref', nullable: false }))];

function validate(args: JsonObject): Result<readonly JsonObject[]> {
  const v = qapi.visitStruct(args, [req('options', listOf({ kind: 'struct', members: [] }))], '');
  if (!v.ok && !Array.isArray(args['options'])) return v;
  const list = (args['options'] as readonly JsonValue[] | undefined) ?? [];
  for (let i = 0; i < list.length; i++) {
    const r = qapi.visitBlockdevOptions(list[i]!, `options[${i}]`);
    if (!r.ok) return r;
  }
  const extra = qapi.checkStruct(args, SCHEMA, '');
  if (!extra.ok) return extra;
  void blockdevRef;
  return { ok: true, value: list as readonly JsonObject[] };
}

export function blockdevReopen(env: BlockEnv, args: JsonObject): Result<void> {
  const v = validate(args);
  if (!v.ok) return v;
  const queue: ReopenEntry[] = [];
  for (const opts of v.value) {
    const name = opts['node-name'];
    if (typeof name !== 'string') return fail('invalid-param', 'node-name not specified');
    const found = findNode(env, name);
    if (!found.ok) return found;
    queueReopen(queue, found.value, opts, false);
  }
  return inTransaction((tx) => {
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
      tx.set(e.node, 'options', stripChildOptions(e.explicit));
      if (typeof e.options['discard'] === 'string') tx.set(e.node.state, 'discard', e.options['discard']);
      e.node.driver.reopen?.commit?.(env, tx, e.node, e.options);
    }
    for (const n of refresh) releaseIfOrphan(env, tx, n);
    return OK;
  });
}
