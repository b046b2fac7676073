// What every committed graph satisfies (§2.5: parents, read-only, alignment, image locks); op blockers, frozen links.
import { draftPerms, type Draft } from './draft.ts';
import type { ErrorCode } from '../qmp/error-codes.ts';
import { chainLink, childEdges, lengthOf, node } from './graph.ts';
import { isSubset, type PermPair } from '../qmp/perm-set.ts';
import { both, permsOf, type Perms } from './perms.ts';
import { OK, anyOf, fail, type ModelError, type Result } from './result.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

/** The nodes at and below `starts` (those still there): those an edit there can affect. */
function below(s: ModelState, starts: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const e of childEdges(s, n)) visit(e.child);
  };
  for (const n of starts) if (s.nodes.some((x) => x.name === n)) visit(n);
  return out;
}

const lockOf = (s: ModelState, n: MNode): { filename: string; locked: boolean } | undefined => s.drivers[n.driver].imageFile?.(n);
const clash = (a: PermPair, b: PermPair): boolean => !isSubset(a.perm, b.shared) || !isSubset(b.perm, a.shared);
/** A problem a node has; `maybe`: it depends on what the model does not follow, so QEMU may or may not meet it. */
type Problem = { readonly error: ModelError; readonly maybe?: boolean };
const problem = (code: ErrorCode, message: string, maybe = false): Problem => ({ error: { code, message }, maybe });

/** Two file nodes on one image clash when their new perms do, and may when an old lock meets a new one (locks change
 * node by node, in an order the model does not follow). */
function lockProblems(d: Draft, perms: Perms, n: MNode, before: () => Perms, out: Problem[]): void {
  const mine = lockOf(d, n);
  if (mine?.locked !== true) return;
  const held = (x: string, now: PermPair): PermPair => (d.before.nodes.some((y) => y.name === x) ? both(before().cumulative(x), now) : now);
  for (const m of d.nodes) {
    if (m === n) continue;
    const theirs = lockOf(d, m);
    if (theirs?.locked !== true || theirs.filename !== mine.filename) continue;
    const [a, b] = [perms.cumulative(n.name), perms.cumulative(m.name)];
    const maybe = !clash(a, b) && (clash(held(n.name, a), b) || clash(a, held(m.name, b)));
    if (clash(a, b) || maybe) out.push(problem('perm-conflict', `Failed to lock image '${mine.filename}'`, maybe));
  }
}

/** A node's problems, added to `out`. */
function problems(d: Draft, perms: Perms, n: MNode, before: () => Perms, out: Problem[]): void {
  const [ps, { perm }] = [perms.parents(n.name), perms.cumulative(n.name)];
  const conflict = ps.some((a) => ps.some((b) => a !== b && !isSubset(b.perm, a.shared)));
  if (conflict) out.push(problem('perm-conflict', `Permission conflict on node '${n.name}'`));
  const writes = perm.includes('write') || perm.includes('write-unchanged');
  if (writes && n.readOnly) out.push(problem('read-only', `Read-only node '${n.name}' cannot have writers`));
  const align = writes && !perm.includes('resize') ? (d.drivers[n.driver].writeAlign?.(n) ?? 0) : 0;
  const len = align > 0 ? lengthOf(d, n.name) : 0;
  // a length the model does not follow may be aligned or not
  const unaligned = align > 0 && (len === undefined || len % align !== 0);
  if (unaligned) out.push(problem('invalid-param', `Cannot get 'write' permission without 'resize' on '${n.name}'`, len === undefined));
  lockProblems(d, perms, n, before, out);
}

/** Checks the nodes below `starts`. A refresh meets their problems in an order the model does not follow, so each
 * is an allowed error; problems that only may be met allow a refusal beside success. */
export function checkGraph(d: Draft, starts: readonly string[]): Result {
  const perms = draftPerms(d);
  let old: Perms | undefined;
  const found: Problem[] = [];
  for (const name of below(d, starts)) problems(d, perms, node(d, name), () => (old ??= permsOf(d.before)), found);
  const sure = found.some((p) => p.maybe !== true);
  if (!sure) d.mayFail.push(...found.map((p) => p.error));
  return sure ? anyOf(found.map((p) => p.error)) : OK;
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
