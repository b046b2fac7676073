// bdrv_new_open_driver: a job's own filter node (mirror_top, commit_top), named or implicit.
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { addNode } from '../core/graph-edit.ts';
import { autoNodeName, checkNodeName, newNode } from '../core/open-node.ts';
import { ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import type { Driver } from '../drivers/driver.ts';

export function newFilterNode(env: BlockEnv, tx: Transaction, driver: Driver, name: string | undefined, readOnly: boolean): Result<BlockNode> {
  if (name !== undefined) {
    const c = checkNodeName(env, name);
    if (!c.ok) return c;
  }
  const node = newNode(env, driver, name ?? autoNodeName(env), name === undefined ? {} : { 'node-name': name }, undefined, readOnly, false);
  node.implicit = name === undefined;
  node.options = {};
  addNode(tx, env.graph, node);
  return ok(node);
}
