// Graph edits without permission updates (QEMU's *_noperm functions); each registers its undo.
import type { BlockNode, Edge, Graph, Parent } from './graph.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import type { ChildRole } from './role.ts';
import type { Transaction } from './transaction.ts';
import type { BlockEnv } from './block-env.ts';
import { DEATHS } from './deaths.ts';
import { dieNow } from './qemu-dies.ts';

/** The drained section under way (drain-counters.ts) follows every child replacement and its undo. */
function noteReplaced(env: BlockEnv, c: Edge, from: BlockNode | undefined, to: BlockNode | undefined): void {
  env.drainedSection?.replaced(c, from, to);
}

/** bdrv_replace_child_noperm's assert(!child->frozen): detaching or moving a frozen link kills QEMU. */
function assertNotFrozen(edge: Edge): void {
  if (edge.frozen) dieNow(DEATHS.frozenChildReplaced);
}

export function addNode(tx: Transaction, g: Graph, node: BlockNode): void {
  g.nodes.set(node.name, node);
  tx.addUndo(() => g.nodes.delete(node.name));
}

function removeAt<T>(list: T[], item: T): number {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
  return i;
}

/** Creates an edge with the given perms, inserted at the head of both lists (bdrv_attach_child_common). */
export function attachEdge(
  env: BlockEnv,
  tx: Transaction,
  parent: Parent,
  child: BlockNode,
  name: string,
  role: ChildRole,
  perm: PermSet,
  shared: PermSet,
): Edge {
  const edge: Edge = { parent, child, name, role, perm, shared, frozen: false };
  child.parents.unshift(edge);
  const siblings = parentChildList(parent);
  siblings.unshift(edge);
  noteReplaced(env, edge, undefined, child);
  tx.addUndo(() => {
    removeAt(edge.child.parents, edge);
    removeAt(siblings, edge);
    noteReplaced(env, edge, edge.child, undefined);
  });
  return edge;
}

function parentChildList(p: Parent): Edge[] {
  switch (p.kind) {
    case 'node':
      return p.node.children;
    case 'job':
      return p.job.edges;
    case 'backend':
      return p.backend.edges;
  }
}

/** Removes an edge from the graph (bdrv_remove_child); abort puts it back at the head of both lists, as QEMU's does. */
export function detachEdge(env: BlockEnv, tx: Transaction, edge: Edge): void {
  assertNotFrozen(edge);
  const siblings = parentChildList(edge.parent);
  const child = edge.child;
  const ci = removeAt(child.parents, edge);
  const si = removeAt(siblings, edge);
  noteReplaced(env, edge, child, undefined);
  tx.addUndo(() => {
    // bdrv_replace_child_abort re-inserts with QLIST_INSERT_HEAD (parents, and the parent's children via attach)
    if (ci >= 0) child.parents.unshift(edge);
    if (si >= 0) siblings.unshift(edge);
    noteReplaced(env, edge, undefined, child);
  });
}

/** Points an edge at another node (bdrv_replace_child_noperm): new parent goes to the head. */
export function replaceEdgeChild(env: BlockEnv, tx: Transaction, edge: Edge, to: BlockNode): void {
  assertNotFrozen(edge);
  const from = edge.child;
  const i = removeAt(from.parents, edge);
  edge.child = to;
  to.parents.unshift(edge);
  // bdrv_child_cb_detach/attach take a node parent's child out of its list and put it back at the head
  const siblings = edge.parent.kind === 'node' ? edge.parent.node.children : undefined;
  const si = siblings ? removeAt(siblings, edge) : -1;
  if (siblings && si >= 0) siblings.unshift(edge);
  noteReplaced(env, edge, from, to);
  tx.addUndo(() => {
    removeAt(to.parents, edge);
    edge.child = from;
    if (i >= 0) from.parents.unshift(edge);
    if (siblings && si >= 0) {
      removeAt(siblings, edge);
      siblings.unshift(edge);
    }
    noteReplaced(env, edge, to, from);
  });
}

export function setEdgePerm(tx: Transaction, edge: Edge, perm: PermSet, shared: PermSet): void {
  tx.set(edge, 'perm', perm);
  tx.set(edge, 'shared', shared);
}
