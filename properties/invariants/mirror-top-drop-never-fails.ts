// mirror-top-drop-never-fails — semantics §5.1 I10 (block/mirror.c mirror_exit_common: bdrv_replace_node(mirror_top_bs,
// backing, &error_abort)): removing a mirror_top, tried inside a transaction that is always rolled back, must succeed.
import type { BlockEnv } from '../../impl/core/block-env.ts';
import type { Backend, BlockNode, Edge, JobParent } from '../../impl/core/graph.ts';
import { detachEdge, replaceEdgeChild } from '../../impl/core/graph-edit.ts';
import { refreshIgnoringErrors, refreshPerms } from '../../impl/core/refresh.ts';
import { OK, fail } from '../../impl/core/result.ts';
import type { Result } from '../../impl/core/result.ts';
import { Transaction } from '../../impl/core/transaction.ts';
import type { Invariant, Violation } from './invariant.ts';

/** bdrv_recurse_has_child: is `target` reachable from `from` (or equal)? */
function reaches(from: BlockNode, target: BlockNode, seen = new Set<BlockNode>()): boolean {
  if (from === target) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return from.children.some((c) => reaches(c.child, target, seen));
}

/** The job's target BlockBackend: a backend that is no export, on a node the job holds as `target` (§2.4). */
function targetBackends(env: BlockEnv, job: JobParent): Backend[] {
  const exported = new Set([...env.exports.values()].map((x) => x.backend));
  const targets = new Set(job.edges.filter((e) => e.name === 'target').map((e) => e.child));
  return env.graph.backends.filter((b) => !exported.has(b) && b.edges.some((e) => targets.has(e.child)));
}

/** bdrv_root_unref_child: the edge goes and the child's perms (and image locks) are refreshed at once. */
function unref(env: BlockEnv, tx: Transaction, e: Edge): void {
  detachEdge(env, tx, e);
  refreshIgnoringErrors(tx, env.graph, [e.child]);
}

/** Every edge list of the graph as it is now; the returned function puts each back in this order. */
function keepEdgeOrder(env: BlockEnv): () => void {
  const lists: Edge[][] = [];
  for (const n of env.graph.nodes.values()) lists.push(n.parents, n.children);
  for (const b of env.graph.backends) lists.push(b.edges);
  for (const j of env.graph.jobs) lists.push(j.edges);
  const saved = lists.map((l) => [...l]);
  return () => lists.forEach((l, i) => l.splice(0, l.length, ...(saved[i] ?? [])));
}

/** Does what mirror_exit_common does to the graph, then undoes it whatever happened. */
export function tryDropMirrorTop(env: BlockEnv, top: BlockNode): Result<void> {
  const below = top.children.find((e) => e.role.kind === 'filtered')?.child;
  if (!below) return fail('invalid-param', `mirror_top '${top.name}' has no filtered child`);
  const tx = new Transaction();
  // QEMU's abort re-inserts edges at list heads; a check must leave no trace, so the order is put back as well
  const restoreOrder = keepEdgeOrder(env);
  try {
    const jobs = new Set<JobParent>();
    for (const e of top.parents) if (e.parent.kind === 'job') jobs.add(e.parent.job);
    // blk_unref(s->target) comes first: the target's writer must be gone before anything moves
    for (const job of jobs) for (const b of targetBackends(env, job)) for (const e of [...b.edges]) unref(env, tx, e);
    // block_job_remove_all_bdrv: then the job lets go of all its edges
    for (const job of jobs) for (const e of [...job.edges]) unref(env, tx, e);
    // bdrv_replace_node skips job edges and edges that would close a loop
    for (const e of [...top.parents]) {
      if (e.parent.kind === 'job') continue;
      if (e.parent.kind === 'node' && reaches(below, e.parent.node)) continue;
      replaceEdgeChild(env, tx, e, below);
    }
    const r = refreshPerms(tx, env.graph, [below, top]);
    return r.ok ? OK : r;
  } finally {
    tx.abort();
    restoreOrder();
  }
}

/** `write:root-vs-children`: the perms in conflict and the child roles of the two parents, from QEMU's error text. */
function conflictKey(message: string): string {
  const m = /permissions '([^']*)' are both required by .*? as '([^']*)' child\) and unshared by .*? as '([^']*)' child\)/.exec(message);
  if (!m) return message.replace(/'[^']*'/g, 'X').slice(0, 60);
  return `${(m[1] ?? '').replace(/, /g, '+')}:${(m[2] ?? '').replace(/\d+/g, 'N')}-vs-${(m[3] ?? '').replace(/\d+/g, 'N')}`;
}

export const mirrorTopDropNeverFails: Invariant = {
  kind: 'live',
  name: 'mirror-top-drop-never-fails',
  source: 'semantics §5.1 I10; block/mirror.c mirror_exit_common',
  check(env): Violation[] {
    const out: Violation[] = [];
    for (const n of env.graph.nodes.values()) {
      if (n.driver.name !== 'mirror_top') continue;
      const r = tryDropMirrorTop(env, n);
      if (!r.ok) out.push({ message: `dropping mirror_top '${n.name}' would fail: ${r.error.message}`, key: conflictKey(r.error.message) });
    }
    return out;
  },
};
