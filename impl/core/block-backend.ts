// BlockBackends (blk_new + blk_insert_bs, blk_unref): anonymous roots on a node, listed newest first.
import { detachChild, rootAttach } from './attach.ts';
import type { BlockEnv } from './block-env.ts';
import type { Backend, BlockNode } from './graph.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { ok } from './result.ts';
import type { Result } from './result.ts';
import { FILTERED_PRIMARY } from './role.ts';
import type { Transaction } from './transaction.ts';

/** Attaches a new anonymous BlockBackend with fixed perms on `node`; x-debug-query-block-graph lists it first. */
export function insertBackend(env: BlockEnv, tx: Transaction, node: BlockNode, perm: PermSet, shared: PermSet): Result<Backend> {
  const backend: Backend = { id: env.graph.nextId++, name: '', edges: [] };
  const e = rootAttach(env, tx, { kind: 'backend', backend }, node, 'root', FILTERED_PRIMARY, perm, shared);
  if (!e.ok) return e;
  env.graph.backends.unshift(backend);
  tx.addUndo(() => {
    const i = env.graph.backends.indexOf(backend);
    if (i >= 0) env.graph.backends.splice(i, 1);
  });
  return ok(backend);
}

/** Drops the BlockBackend's edge (perms below loosen) and forgets it. */
export function releaseBackend(env: BlockEnv, tx: Transaction, backend: Backend): void {
  for (const e of [...backend.edges]) detachChild(env, tx, e);
  const i = env.graph.backends.indexOf(backend);
  if (i < 0) return;
  env.graph.backends.splice(i, 1);
  tx.addUndo(() => env.graph.backends.splice(i, 0, backend));
}
