// Graph edits on a draft; checks are the caller's (check.ts), so a sequence of edits is checked where QEMU checks it.
import { checkGraph, frozenLinks } from './check.ts';
import type { Draft } from './draft.ts';
import { imageAtZero, node, parentCount, reaches } from './graph.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { PermSet } from '../qmp/perm-set.ts';
import { OK, fail, seq, type Result } from './result.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

/** bdrv_attach_child: refused when the child reaches the parent. */
export function attach(d: ModelState, parent: string, child: string, name: string, role: RoleSpec): Result {
  if (reaches(d, child, parent)) return fail('cycle', `Making '${child}' a ${name} child of '${parent}' would create a cycle`);
  d.edges.push({ parent, name, child, role });
  return OK;
}

export const detach = (d: ModelState, e: NodeEdge): void => void (d.edges = d.edges.filter((x) => x !== e));

/** A format whose `file` moved reads its metadata elsewhere: the model follows it only if it is the same image. */
export function rebased(d: ModelState, e: NodeEdge): void {
  const p = node(d, e.parent);
  const at = e.name === 'file' && p.image !== undefined ? imageAtZero(d, e.child) : undefined;
  if (at !== undefined && (!at.ok || at.value !== p.image)) p.image = undefined;
}

/** bdrv_replace_node: `from`'s parents but job edges move to `to` (as its newest), a loop skipped (or refused). */
export function replaceNode(d: Draft, from: string, to: string, autoSkip = true): Result {
  const frozen = frozenLinks(d);
  for (const e of d.edges.filter((x) => x.child === from)) {
    if (reaches(d, to, e.parent) && autoSkip) continue;
    if (reaches(d, to, e.parent)) return fail('in-use', `Should not change '${e.name}' link to '${from}'`);
    if (frozen.has(e)) return fail('frozen', `Cannot change '${e.name}' link to '${from}'`);
    e.child = to;
    d.moved.push({ parent: e.parent, edge: e.name, from, to });
    rebased(d, e);
    d.edges = [...d.edges.filter((x) => x !== e), e];
  }
  for (const b of d.bbs) if (b.child === from) b.child = to;
  return OK;
}

/** bdrv_append: `top` takes `below` as its backing child, then `below`'s parents. */
export const append = (d: Draft, top: string, below: string, role: RoleSpec): Result =>
  seq(() => attach(d, top, below, 'backing', role), () => replaceNode(d, below, top), () => checkGraph(d, [top]));

/** A job's filter goes (`cut`: its link too); a conflict there (7.2 aborts) refuses the command that would drop it. */
export function dropFilter(d: Draft, filter: string, below: string, cut = false): Result {
  const r = replaceNode(d, filter, below);
  if (cut) d.edges = d.edges.filter((e) => e.parent !== filter);
  return r.ok ? checkGraph(d, [below, filter]) : r;
}

export function removeNode(d: ModelState, name: string): void {
  d.nodes = d.nodes.filter((n) => n.name !== name);
  d.edges = d.edges.filter((e) => e.parent !== name);
  // bdrv_unset_inherits_from: what it opened inherits nothing from it now, nor from a later node of its name
  for (const n of d.nodes) if (n.inheritsFrom === name) n.inheritsFrom = null;
}

/** Nodes nobody references and the monitor does not own are closed, their children released in turn (bdrv_unref). */
export function dropOrphans(d: ModelState): void {
  const orphan = (): MNode | undefined => d.nodes.find((n) => !n.owned && parentCount(d, n.name) === 0);
  for (let o = orphan(); o !== undefined; o = orphan()) removeNode(d, o.name);
}

export const removeBackends = (d: ModelState, ids: readonly number[]): void => void (d.bbs = d.bbs.filter((b) => !ids.includes(b.id)));

/** A new BlockBackend is listed first (QEMU keeps them newest first). */
export function addBackend(d: ModelState, child: string, perm: PermSet, shared: PermSet): number {
  d.bbs.unshift({ id: d.nextId, child, perm, shared });
  return d.nextId++;
}

export const autoName = (d: ModelState): string => `#block${String(d.nextAuto++).padStart(3, '0')}`;
