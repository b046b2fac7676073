// What every committed graph must satisfy (§2.5): compatible parents, no writer on a read-only node, aligned
// writers, compatible image locks. Plus the derived op blockers (§3.0) and frozen links (I7).
import { ALL, NONE, intersectOf, minusOf, permSetOf, subsetOf, unionOf } from './perm-set.ts';
import { chainLink, childEdges, filenameOf, lengthOf, node, num, str } from './graph.ts';
import { context } from './context.ts';
import { computePerms } from './perms.ts';
import type { PermPair } from './perms.ts';
import { OK, fail } from './result.ts';
import type { Result } from './result.ts';
import type { ModelState, NodeEdge } from './state.ts';

const PERM_TEXT = { 'consistent-read': 'consistent read', write: 'write', 'write-unchanged': 'write unchanged', resize: 'resize' } as const;
const W_OR_U = permSetOf('write', 'write-unchanged');

/** The nodes below `starts`, parents first (depth-first post-order, prepended): the order a refresh visits them. */
function topDown(s: ModelState, starts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    // children newest first, as QEMU's child lists are ordered
    for (const e of [...childEdges(s, n)].reverse()) visit(e.child);
    out.push(n);
  };
  for (const n of starts) if (s.nodes.some((x) => x.name === n)) visit(n);
  return out.reverse();
}

/** The image locks file nodes hold in a committed state: their perms. */
export function locksOf(s: ModelState): Map<string, PermPair> {
  const perms = computePerms(s);
  return new Map(s.nodes.filter((n) => n.driver === 'file').map((n) => [n.name, perms.cumulative(n.name)]));
}

/** Checks the nodes an edit can have affected: those below `starts` (the edit's new parent, the replaced node, ...).
 * Everything else is unchanged and was valid before; perms themselves are always computed for the whole graph. */
export function checkGraph(s: ModelState, starts: readonly string[]): Result {
  const perms = computePerms(s);
  const order = topDown(s, starts);
  for (const [i, name] of order.entries()) {
    const ps = perms.parents(name);
    for (const a of ps) {
      for (const b of ps) {
        if (a === b || subsetOf(b.perm, a.shared)) continue;
        const list = minusOf(b.perm, a.shared).map((p) => PERM_TEXT[p]).join(', ');
        return fail('perm-conflict', `Permission conflict on node '${name}': permissions '${list}' are both required by ${b.desc} (as '${b.edgeName}') and unshared by ${a.desc} (as '${a.edgeName}')`);
      }
    }
    const n = node(s, name);
    const { perm, shared } = perms.cumulative(name);
    const writes = perm.some((p) => W_OR_U.includes(p));
    if (writes && n.readOnly) return fail('read-only', `Read-only node '${name}' cannot have writers`);
    const align = n.driver === 'blkdebug' ? num(n.opts, 'align') ?? 0 : 0;
    if (writes && align > 0 && !perm.includes('resize') && lengthOf(s, name) % align !== 0) {
      return fail('invalid-param', `Cannot get 'write' permission without 'resize' on '${name}': size not aligned`);
    }
    if (n.driver === 'file' && str(n.opts, 'locking') !== 'off') {
      for (const m of s.nodes) {
        if (m === n || m.driver !== 'file' || str(m.opts, 'locking') === 'off' || filenameOf(s, m.name) !== filenameOf(s, name)) continue;
        // a node further down this refresh still holds the lock of its last refresh; one visited before holds both
        // until this refresh commits (raw_handle_perm_lock's PREPARE); one outside it holds what it has
        const j = order.indexOf(m.name);
        const was = context().held.get(m.name) ?? { perm: NONE, shared: ALL };
        const now = perms.cumulative(m.name);
        const other = j > i ? was : j >= 0 ? { perm: unionOf(was.perm, now.perm), shared: intersectOf(was.shared, now.shared) } : now;
        if (!subsetOf(perm, other.shared) || !subsetOf(other.perm, shared)) return fail('perm-conflict', `Failed to lock image '${filenameOf(s, name) ?? ''}'`);
      }
    }
  }
  // the refresh committed: the file nodes it visited now hold their new locks (a later refresh checks against these)
  for (const name of order) if (node(s, name).driver === 'file') context().held.set(name, perms.cumulative(name));
  return OK;
}

/** bdrv_root_unref_child: a parent's going refreshes the nodes below at once, so their image locks shrink. */
export function loosen(s: ModelState, starts: readonly string[]): void {
  const perms = computePerms(s);
  for (const name of topDown(s, starts)) if (node(s, name).driver === 'file') context().held.set(name, perms.cumulative(name));
}

export type OpClass = 'commit-source' | 'commit-target' | 'drive-del' | 'external-snapshot' | 'mirror-source' | 'mirror-target' | 'replace' | 'resize' | 'stream';

/** bdrv_op_is_blocked: backing files block all but commit-target and stream; job edges block everything; so does a
 * completing mirror on its `replaces` until the job exits (set last, so reported first). */
export function blocker(s: ModelState, name: string, op: OpClass): string | undefined {
  if (s.jobs.some((j) => j.kind === 'mirror' && j.shouldComplete && j.replaces === name && j.status !== 'concluded')) return 'block device is in use by block-job-complete';
  const cow = s.edges.find((e) => e.child === name && e.role.kind === 'cow');
  if (cow && op !== 'commit-target' && op !== 'stream') return `node is used as backing hd of '${cow.parent}'`;
  const job = s.jobEdges.find((e) => e.child === name);
  return job ? `block device is in use by block job: ${s.jobs.find((j) => j.id === job.job)?.type ?? ''}` : undefined;
}

export function notBlocked(s: ModelState, name: string, op: OpClass): Result {
  const why = blocker(s, name, op);
  return why === undefined ? OK : fail('busy', `Node '${name}' is busy: ${why}`);
}

/** The chain from `top` down to (not including) `end` is free of blockers for `op`. */
export function chainNotBlocked(s: ModelState, top: string, end: string | undefined, op: OpClass): Result {
  for (let n: string | undefined = top; n !== undefined && n !== end; n = chainLink(s, n)?.child) {
    const b = notBlocked(s, n, op);
    if (!b.ok) return b;
  }
  return OK;
}

/** The links from `top` down to `base` (or the chain's end), as bdrv_freeze_backing_chain walks them. */
export function chainLinks(s: ModelState, top: string, base: string): NodeEdge[] {
  const out: NodeEdge[] = [];
  for (let n = top, e = chainLink(s, n); n !== base && e; n = e.child, e = chainLink(s, n)) out.push(e);
  return out;
}

/** Frozen links: a copy-on-read `bottom`, a running commit (commit_top..base), an active commit (mirror_top..base);
 * `except` leaves out the holder whose own freeze is being checked. */
export function frozenLinks(s: ModelState, except?: string): Set<NodeEdge> {
  const holds: [string, string][] = [];
  for (const n of s.nodes) {
    const bottom = str(n.opts, 'bottom');
    if (n.driver === 'copy-on-read' && bottom !== undefined && n.name !== except) holds.push([n.name, bottom]);
  }
  for (const j of s.jobs) {
    if (j.kind === 'commit' && j.frozen && j.filter !== except) holds.push([j.filter, j.base]);
    const m = s.nodes.find((n) => n.name === j.filter)?.mirror;
    if (j.kind === 'mirror' && m?.commit === true && !m.stopping && j.filter !== except) holds.push([j.filter, j.target]);
  }
  return new Set(holds.flatMap(([top, base]) => chainLinks(s, top, base)));
}

export function notFrozen(s: ModelState, links: readonly NodeEdge[], except?: string): Result {
  const frozen = frozenLinks(s, except);
  const e = links.find((x) => frozen.has(x));
  return e ? fail('frozen', `Cannot change frozen '${e.name}' link from '${e.parent}' to '${e.child}'`) : OK;
}
