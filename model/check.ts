// What every committed graph satisfies (§2.5: parents, read-only, alignment, image locks); op blockers, frozen links.
import { draftPerms, type Draft } from './draft.ts';
import { chainLink, childEdges, lengthOf, node } from './graph.ts';
import { minusOf, subsetOf, type PermPair } from './perm-set.ts';
import { both, permsOf, type Perms } from './perms.ts';
import { OK, fail, isRefusal, unjudged, type Refusal, type Result } from './result.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

const PERM_TEXT = { 'consistent-read': 'consistent read', write: 'write', 'write-unchanged': 'write unchanged', resize: 'resize' } as const;

/** The nodes below `starts`, parents first (depth-first post-order, prepended): the order a refresh visits them. */
function topDown(s: ModelState, starts: readonly string[]): string[] {
  const [seen, out] = [new Set<string>(), [] as string[]];
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const e of childEdges(s, n).reverse()) visit(e.child);
    out.push(n);
  };
  for (const n of starts) if (s.nodes.some((x) => x.name === n)) visit(n);
  return out.reverse();
}

const lockOf = (s: ModelState, n: MNode): { filename: string; locked: boolean } | undefined => s.drivers[n.driver].imageFile?.(n);
const clash = (a: PermPair, b: PermPair): boolean => !subsetOf(a.perm, b.shared) || !subsetOf(b.perm, a.shared);

/** Two file nodes on one image clash when their new perms do, and may when an old lock meets a new one (locks change
 * node by node, in an order the model does not follow: that refusal is allowed beside the result). */
function checkLocks(d: Draft, perms: Perms, n: MNode, before: () => Perms): Result {
  const mine = lockOf(d, n);
  for (const m of mine?.locked ? d.nodes : []) {
    if (m === n || lockOf(d, m)?.locked !== true || lockOf(d, m)?.filename !== mine?.filename) continue;
    const error = fail('perm-conflict', `Failed to lock image '${mine?.filename ?? ''}'`);
    const [a, b] = [perms.cumulative(n.name), perms.cumulative(m.name)];
    if (clash(a, b)) return error;
    const held = (x: string, now: PermPair): PermPair => (d.before.nodes.some((y) => y.name === x) ? both(before().cumulative(x), now) : now);
    if (clash(held(n.name, a), b) || clash(a, held(m.name, b))) d.mayFail.push(error.error);
  }
  return OK;
}

/** Checks the nodes below `starts` (those an edit can affect), parents first; a lock clash may come after a later problem. */
export function checkGraph(d: Draft, starts: readonly string[]): Result {
  const [perms, locked] = [draftPerms(d), { first: undefined as Refusal | undefined }];
  const r = visit(d, starts, perms, locked);
  if (!r.ok && locked.first) d.mayFail.push(locked.first.error);
  return r.ok ? (locked.first ?? OK) : r;
}

function visit(d: Draft, starts: readonly string[], perms: Perms, locked: { first: Refusal | undefined }): Result {
  let old: Perms | undefined;
  for (const name of topDown(d, starts)) {
    const ps = perms.parents(name);
    for (const [a, b] of ps.flatMap((a) => ps.map((b) => [a, b] as const))) {
      if (a === b || subsetOf(b.perm, a.shared)) continue;
      const list = minusOf(b.perm, a.shared).map((p) => PERM_TEXT[p]).join(', ');
      return fail('perm-conflict', `Permission conflict on node '${name}': permissions '${list}' are both required by ${b.desc} (as '${b.edgeName}') and unshared by ${a.desc} (as '${a.edgeName}')`);
    }
    const [n, { perm }] = [node(d, name), perms.cumulative(name)];
    const writes = perm.includes('write') || perm.includes('write-unchanged');
    if (writes && n.readOnly) return fail('read-only', `Read-only node '${name}' cannot have writers`);
    const [align, len] = [d.drivers[n.driver].writeAlign?.(n) ?? 0, lengthOf(d, name)];
    if (writes && align > 0 && !perm.includes('resize') && len === undefined) return unjudged('image-data');
    if (writes && align > 0 && !perm.includes('resize') && (len ?? 0) % align !== 0) return fail('invalid-param', `Cannot get 'write' permission without 'resize' on '${name}': size not aligned`);
    const locks = checkLocks(d, perms, n, () => (old ??= permsOf(d.before)));
    if (isRefusal(locks)) locked.first ??= locks;
  }
  return OK;
}

export type OpClass = 'commit-source' | 'commit-target' | 'drive-del' | 'external-snapshot' | 'mirror-source' | 'mirror-target' | 'replace' | 'resize' | 'stream';

/** bdrv_op_is_blocked: a backing file blocks all but commit-target and stream, a job edge or a completing mirror's
 * `replaces` (set last, so reported first) everything. */
export function blocker(s: ModelState, name: string, op: OpClass): string | undefined {
  const replacing = s.jobs.some((j) => j.detail.kind === 'mirror' && j.detail.shouldComplete && j.detail.replaces === name && j.status !== 'concluded');
  const cow = s.edges.find((e) => e.child === name && e.role.kind === 'cow');
  const job = s.jobEdges.find((e) => e.child === name);
  if (replacing) return 'block device is in use by block-job-complete';
  if (cow && op !== 'commit-target' && op !== 'stream') return `node is used as backing hd of '${cow.parent}'`;
  return job ? `block device is in use by block job: ${s.jobs.find((j) => j.id === job.job)?.type ?? ''}` : undefined;
}

/** The node is free for `op`; with `chain`, every node from it down to (not including) `chain.end`. */
export function notBlocked(s: ModelState, top: string, op: OpClass, chain?: { readonly end: string | undefined }): Result {
  for (let n: string | undefined = top; n !== undefined && n !== chain?.end; n = chain === undefined ? undefined : chainLink(s, n)?.child) {
    const why = blocker(s, n, op);
    if (why !== undefined) return fail('busy', `Node '${n}' is busy: ${why}`);
  }
  return OK;
}

/** The links from `top` down to `base` (or the chain's end), as bdrv_freeze_backing_chain walks them. */
export function chainLinks(s: ModelState, top: string, base: string): NodeEdge[] {
  const out: NodeEdge[] = [];
  for (let n = top, e = chainLink(s, n); n !== base && e; n = e.child, e = chainLink(s, n)) out.push(e);
  return out;
}

/** Frozen links: copy-on-read to its `bottom`, a commit's filter to its base; not those of `except` (being checked). */
export function frozenLinks(s: ModelState, except?: string): Set<NodeEdge> {
  const holds: [string, string][] = s.nodes.flatMap((n) => (typeof n.opts['bottom'] === 'string' && n.name !== except ? [[n.name, n.opts['bottom']]] : []));
  for (const j of s.jobs) if (j.freezesTo !== undefined && j.filter !== except) holds.push([j.filter, j.freezesTo]);
  return new Set(holds.flatMap(([top, base]) => chainLinks(s, top, base)));
}

export function notFrozen(s: ModelState, links: readonly NodeEdge[], except?: string): Result {
  const e = links.find((x) => frozenLinks(s, except).has(x));
  return e ? fail('frozen', `Cannot change frozen '${e.name}' link from '${e.parent}' to '${e.child}'`) : OK;
}
