// bdrv_new_open_driver: a job's own filter node (mirror_top, commit_top), named or implicit.
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { addNode } from '../core/graph-edit.ts';
import { autoNodeName, checkNodeName } from '../core/open-node.ts';
import { ALL_PERMS, NO_PERMS } from '../core/perm.ts';
import { ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import type { Transaction } from '../core/transaction.ts';
import type { Driver } from '../drivers/driver.ts';

export function newFilterNode(env: BlockEnv, tx: Transaction, driver: Driver, name: string | undefined, readOnly: boolean): Result<BlockNode> {
  if (name !== undefined) {
    const c = checkNodeName(env, name);
    if (!c.ok) return c;
  }
  const node: BlockNode = {
    id: env.graph.nextId++,
    name: name ?? autoNodeName(env),
    autoNamed: name === undefined,
    driver,
    readOnly,
    options: {},
    children: [],
    parents: [],
    monitorOwned: false,
    inheritsFrom: null,
    forceShare: false,
    size: 0,
    filename: undefined,
    backingFile: undefined,
    backingFormat: undefined,
    locked: { perm: NO_PERMS, shared: ALL_PERMS },
    state: {},
    blockers: [],
    implicit: name === undefined,
    closed: false,
  };
  addNode(tx, env.graph, node);
  return ok(node);
}
