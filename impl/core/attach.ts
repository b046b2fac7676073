// Attaching and detaching children with permission updates (bdrv_attach_child, bdrv_root_attach_child).
import type { BlockEnv } from './block-env.ts';
import type { BlockNode, Edge, Parent } from './graph.ts';
import { attachEdge, detachEdge, setEdgePerm } from './graph-edit.ts';
import { nested } from './transaction.ts';
import { ALL_PERMS, NO_PERMS, type PermSet } from '../../qmp/perm-set.ts';
import { childPerms, refreshIgnoringErrors, refreshPerms } from './refresh.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';
import type { ChildRole } from './role.ts';
import type { Transaction } from './transaction.ts';

/** bdrv_recurse_has_child: is `target` reachable from `from` (or equal)? */
export function reaches(from: BlockNode, target: BlockNode): boolean {
  if (from === target) return true;
  return from.children.some((c) => reaches(c.child, target));
}

export function cycleError(child: BlockNode, name: string, parent: BlockNode): Result<never> {
  return fail('cycle', `Making '${child.name}' a ${name} child of '${parent.name}' would create a cycle`);
}

/** bdrv_attach_child_noperm: cycle check, perms from the parent's driver, no refresh. */
export function attachChildNoPerm(env: BlockEnv, tx: Transaction, parent: BlockNode, child: BlockNode, name: string, role: ChildRole): Result<Edge> {
  if (reaches(child, parent)) return cycleError(child, name, parent);
  const p = childPerms(parent, child, name, role);
  return ok(attachEdge(env, tx, { kind: 'node', node: parent }, child, name, role, p.perm, p.shared));
}

/** bdrv_attach_child: attach, then refresh from the parent. */
export function attachChild(env: BlockEnv, tx: Transaction, parent: BlockNode, child: BlockNode, name: string, role: ChildRole): Result<Edge> {
  const e = attachChildNoPerm(env, tx, parent, child, name, role);
  if (!e.ok) return e;
  const r = refreshPerms(tx, env.graph, [parent]);
  return r.ok ? e : r;
}

/** bdrv_root_attach_child: a BlockBackend or job takes fixed perms on `child`. */
export function rootAttach(env: BlockEnv, tx: Transaction, parent: Parent, child: BlockNode, name: string, role: ChildRole, perm: PermSet, shared: PermSet): Result<Edge> {
  const e = attachEdge(env, tx, parent, child, name, role, perm, shared);
  const r = refreshPerms(tx, env.graph, [child]);
  return r.ok ? ok(e) : r;
}

/** bdrv_child_try_set_perm: change one edge's perms; a failing tightening is reported and undone. */
export function trySetEdgePerm(env: BlockEnv, tx: Transaction, edge: Edge, perm: PermSet, shared: PermSet): Result<void> {
  return nested(tx, (inner) => {
    setEdgePerm(inner, edge, perm, shared);
    return refreshPerms(inner, env.graph, [edge.child]);
  });
}

/** bdrv_root_unref_child: drop the edge, loosen perms below (errors ignored), free an orphan. */
export function detachChild(env: BlockEnv, tx: Transaction, edge: Edge): void {
  const child = edge.child;
  detachEdge(env, tx, edge);
  refreshIgnoringErrors(tx, env.graph, [child]);
  releaseIfOrphan(env, tx, child);
}

/** A node nobody references any more is closed, children first released (bdrv_unref → bdrv_close). */
export function releaseIfOrphan(env: BlockEnv, tx: Transaction, node: BlockNode): void {
  if (node.parents.length > 0 || node.monitorOwned || node.closed) return;
  closeNode(env, tx, node);
}

export function closeNode(env: BlockEnv, tx: Transaction, node: BlockNode): void {
  tx.set(node, 'closed', true);
  const g = env.graph;
  if (g.nodes.get(node.name) === node) {
    g.nodes.delete(node.name);
    tx.addUndo(() => g.nodes.set(node.name, node));
  }
  tx.set(node, 'locked', { perm: NO_PERMS, shared: ALL_PERMS });
  node.driver.onClose?.(env, tx, node);
  for (const c of [...node.children]) detachChild(env, tx, c);
}
