// blockdev-reopen: queue every listed node (and its implicit children), prepare all, refresh perms once, commit.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { DEATHS } from '../core/deaths.ts';
import { segfaultOf } from '../core/segfault.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { withSubtreeDrains } from '../core/drain-counters.ts';
import { findNode } from '../core/lookup.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { qapi } from '../qapi/blockdev-options.ts';
import { blockdevRef, listOf, req } from '../qapi/schema.ts';
import { reopenMultiple } from '../reopen/reopen-multiple.ts';
import { queueReopen } from '../reopen/reopen-queue.ts';
import type { ReopenEntry } from '../reopen/reopen-queue.ts';

const SCHEMA = [req('options', listOf(blockdevRef))];

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
  return { ok: true, value: list as readonly JsonObject[] };
}

export function blockdevReopen(env: BlockEnv, args: JsonObject): Result<void> {
  // an empty list reaches bdrv_reopen_multiple's assertion; the impl has always decided it before the argument checks
  if (Array.isArray(args['options']) && args['options'].length === 0) dieNow(DEATHS.reopenEmptyQueue);
  const v = validate(args);
  if (!v.ok) return v;
  const queue: ReopenEntry[] = [];
  const listed: BlockNode[] = [];
  for (const opts of v.value) {
    const name = opts['node-name'];
    if (typeof name !== 'string') return fail('invalid-param', 'node-name not specified');
    const found = findNode(env, name);
    if (!found.ok) return found;
    listed.push(found.value);
    queueReopen(queue, found.value, opts, false);
  }
  // each listed node's subtree is drained before it is queued; the drained sections end in reverse order
  return withSubtreeDrains(
    env,
    listed,
    (quiesced) => inTransaction((tx) => reopenMultiple(env, tx, queue, listed, quiesced)),
    (r) => {
      // qmp_blockdev_reopen ends the drained section of each listed node: one the reopen freed is a use after free
      if (r.ok && listed.some((n) => n.closed)) dieNow(segfaultOf('freed-listed-node'));
    },
  );
}
