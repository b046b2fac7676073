// blockdev-del: only monitor-owned nodes nobody else uses (qmp_blockdev_del).
import type { JsonObject } from '../../qmp/types.ts';
import { closeNode } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { findNode } from '../core/lookup.ts';
import { checkNotBlocked } from '../core/op-blockers.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { req, str } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

export function blockdevDel(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, [req('node-name', str)], '');
  if (!v.ok) return v;
  const name = String(args['node-name']);
  const found = findNode(env, name);
  if (!found.ok) return found;
  const node = found.value;
  if (node.parents.some((e) => e.parent.kind === 'backend')) return fail('in-use', `Node ${name} is in use`);
  const blocked = checkNotBlocked(node, 'drive-del');
  if (!blocked.ok) return blocked;
  if (!node.monitorOwned) return fail('in-use', `Node ${name} is not owned by the monitor`);
  if (node.parents.length > 0) return fail('in-use', `Block device ${name} is in use`);
  return inTransaction((tx) => {
    tx.set(node, 'monitorOwned', false);
    closeNode(env, tx, node);
    return OK;
  });
}
