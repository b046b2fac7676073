// blockdev-add: open a node tree from options; on any failure nothing of it remains.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { openNode } from '../core/open-node.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { validateBlockdevOptions } from '../qapi/blockdev-options.ts';

export function blockdevAdd(env: BlockEnv, args: JsonObject): Result<void> {
  const v = validateBlockdevOptions(args);
  if (!v.ok) return v;
  if (typeof args['node-name'] !== 'string') return fail('invalid-param', "'node-name' must be specified for the root node");
  return inTransaction((tx) => {
    const n = openNode(env, tx, args);
    if (!n.ok) return n;
    n.value.monitorOwned = true;
    return OK;
  });
}
