// Permission refresh (bdrv_list_refresh_perms): top-down over the affected subgraph, in a transaction.
import { defaultPerms } from './default-perms.ts';
import type { BlockNode, Edge, Graph } from './graph.ts';
import { parentDesc } from './graph.ts';
import { setEdgePerm } from './graph-edit.ts';
import { ALL_PERMS, NO_PERMS, hasPerm, intersect, isSubset, minus, union } from '../../qmp/perm-set.ts';
import { permNames } from './perm.ts';
import type { PermPair, PermSet } from '../../qmp/perm-set.ts';
import { OK, fail, raisedAt } from './result.ts';
import type { Result } from './result.ts';
import { nested } from './transaction.ts';
import type { Transaction } from './transaction.ts';
import type { ChildPermContext } from '../drivers/driver.ts';

/** Read-only flags that a pending reopen will give its nodes (BlockReopenQueue). */
export type ReopenFlags = ReadonlyMap<BlockNode, { readonly readOnly: boolean }>;

export function cumulativePerms(n: BlockNode): PermPair {
  let perm: PermSet = NO_PERMS;
  let shared: PermSet = ALL_PERMS;
  for (const e of n.parents) {
    perm = union(perm, e.perm);
    shared = intersect(shared, e.shared);
  }
  return { perm, shared };
}

export function isWritableAfterReopen(n: BlockNode, q: ReopenFlags | undefined): boolean {
  const pending = q?.get(n);
  return !(pending ? pending.readOnly : n.readOnly);
}

/** The perms an edge from `parent` with this role should carry (bdrv_child_perm, force-share applied). */
export function childPerms(parent: BlockNode, child: BlockNode | undefined, name: string, role: Edge['role'], q?: ReopenFlags): PermPair {
  const { perm, shared } = cumulativePerms(parent);
  const ctx: ChildPermContext = { node: parent, childName: name, role, perm, shared, writable: isWritableAfterReopen(parent, q) };
  const r = (parent.driver.childPerm ?? defaultPerms)(ctx);
  return child?.forceShare ? { perm: r.perm, shared: ALL_PERMS } : r;
}

/** Depth-first post-order from each start, prepending: parents come before their children. */
export function topologicalOrder(starts: readonly BlockNode[]): BlockNode[] {
  const found = new Set<BlockNode>();
  const reversed: BlockNode[] = [];
  const visit = (n: BlockNode): void => {
    if (found.has(n)) return;
    found.add(n);
    for (const c of n.children) visit(c.child);
    reversed.push(n);
  };
  for (const s of starts) visit(s);
  return reversed.reverse();
}

/** bdrv_parent_perms_conflict: the first pair (a, b) where b uses what a does not share. */
export function parentPermsConflict(n: BlockNode): Result<void> {
  for (const a of n.parents) {
    for (const b of n.parents) {
      if (a === b || isSubset(b.perm, a.shared)) continue;
      const names = permNames(minus(b.perm, a.shared));
      const text =
        `Permission conflict on node '${n.name}': permissions '${names}' are both required by ${parentDesc(b.parent)} ` +
        `(uses node '${n.name}' as '${b.name}' child) and unshared by ${parentDesc(a.parent)} ` +
        `(uses node '${n.name}' as '${a.name}' child).`;
      // measured: a job's filter drop under &error_abort dies at ../../block.c:2221 on 7.2.22
      return raisedAt(fail('perm-conflict', text), 'bdrv_a_allow_b', 'block.c:2221');
    }
  }
  return OK;
}

function refreshNode(tx: Transaction, g: Graph, n: BlockNode, q: ReopenFlags | undefined, locks: Map<BlockNode, PermPair>): Result<void> {
  const { perm, shared } = cumulativePerms(n);
  const writes = hasPerm(perm, 'write') || hasPerm(perm, 'write-unchanged');
  if (writes && !isWritableAfterReopen(n, q)) {
    const text = n.readOnly ? 'Block node is read-only' : `Read-only block node '${n.name}' cannot support read-write users`;
    return raisedAt(fail('read-only', text), 'bdrv_node_refresh_perm', 'block.c:0');
  }
  const align = n.driver.requestAlignment?.(n) ?? 1;
  if (writes && !hasPerm(perm, 'resize') && n.size % align !== 0) {
    const text = "Cannot get 'write' permission without 'resize': Image size is not a multiple of request alignment";
    return raisedAt(fail('invalid-param', text), 'bdrv_node_refresh_perm', 'block.c:0');
  }
  // bs->drv == NULL (a fatal qcow2 corruption): the node's child perms stay as they were
  if (n.driverGone) return OK;
  if (n.driver.setPerm) {
    const r = n.driver.setPerm(g, n, perm, shared);
    if (!r.ok) return r;
    const old = n.locked;
    r.value();
    tx.addUndo(() => {
      n.locked = old;
    });
    // raw_handle_perm_lock(PREPARE): the fd keeps its old locks too until the refresh commits (bdrv_set_perm)
    if (n.locked !== old) {
      locks.set(n, n.locked);
      n.locked = { perm: union(old.perm, n.locked.perm), shared: intersect(old.shared, n.locked.shared) };
    }
  }
  for (const c of n.children) {
    const p = childPerms(n, c.child, c.name, c.role, q);
    setEdgePerm(tx, c, p.perm, p.shared);
  }
  return OK;
}

/** Checks and updates perms below `starts`; the caller's transaction restores everything on failure. */
export function refreshPerms(tx: Transaction, g: Graph, starts: readonly BlockNode[], q?: ReopenFlags): Result<void> {
  // each refresh is its own QEMU transaction (a reopen's is one refresh): its file nodes lock exactly at the end
  const locks = new Map<BlockNode, PermPair>();
  for (const n of topologicalOrder(starts)) {
    const c = parentPermsConflict(n);
    if (!c.ok) return c;
    const r = refreshNode(tx, g, n, q, locks);
    if (!r.ok) return r;
  }
  for (const [n, l] of locks) n.locked = l;
  return OK;
}

/** After removing parents: loosening cannot fail in QEMU's view, so errors are ignored (bdrv_root_unref_child). */
export function refreshIgnoringErrors(tx: Transaction, g: Graph, starts: readonly BlockNode[]): void {
  nested(tx, (inner) => refreshPerms(inner, g, starts));
}
