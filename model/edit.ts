// Graph edits on a draft, the private copy an operation changes and returns only if every check passed.
import { checkGraph, frozenLinks, loosen } from './check.ts';
import { parentCount, reaches } from './graph.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { PermSet } from './perm-set.ts';
import { DropRefused, OK, fail, seq } from './result.ts';
import type { Result } from './result.ts';
import type { ModelState, NodeEdge } from './state.ts';

export const draft = (s: ModelState): ModelState => structuredClone(s);

/** Makes `d` what `t` (a draft of it) became: a nested change that succeeded. Nested changes never touch jobs,
 * so the job records (which callers hold) keep their identity. */
export function adopt(d: ModelState, t: ModelState): void {
  Object.assign(d, { ...t, jobs: d.jobs });
}

/** bdrv_attach_child: refused when the child reaches the parent. */
export function attach(d: ModelState, parent: string, child: string, name: string, role: RoleSpec): Result {
  if (reaches(d, child, parent)) return fail('cycle', `Making '${child}' a ${name} child of '${parent}' would create a cycle`);
  d.edges.push({ parent, name, child, role });
  return OK;
}

export function detach(d: ModelState, e: NodeEdge): void {
  d.edges = d.edges.filter((x) => x !== e);
}

/** bdrv_replace_node: parents of `from` move to `to`, except job edges and edges that would close a loop. */
export function replaceNode(d: ModelState, from: string, to: string, autoSkip = true): Result {
  const frozen = frozenLinks(d);
  for (const e of d.edges.filter((x) => x.child === from)) {
    if (reaches(d, to, e.parent)) {
      if (autoSkip) continue;
      return fail('in-use', `Should not change '${e.name}' link to '${from}'`);
    }
    if (frozen.has(e)) return fail('frozen', `Cannot change '${e.name}' link to '${from}'`);
    e.child = to;
    // bdrv_replace_child_noperm detaches and attaches the child: it becomes its parent's newest
    d.edges = [...d.edges.filter((x) => x !== e), e];
  }
  for (const b of d.bbs) if (b.child === from) b.child = to;
  return OK;
}

/** bdrv_append: `top` takes `below` as its backing child, then `below`'s parents. */
export function append(d: ModelState, top: string, below: string, role: RoleSpec): Result {
  const r = attach(d, top, below, 'backing', role);
  return r.ok ? seq(() => replaceNode(d, below, top), () => checkGraph(d, [top])) : r;
}

/** A job's filter goes: its parents move to the node below it (`cut`: its own link too, bdrv_drop_filter); a
 * conflict then refuses the whole command. */
export function dropFilter(d: ModelState, filter: string, below: string, cut = false): void {
  const r = replaceNode(d, filter, below);
  if (cut) d.edges = d.edges.filter((e) => e.parent !== filter);
  const c = r.ok ? checkGraph(d, [below, filter]) : r;
  if (!c.ok) throw new DropRefused({ code: c.error.code, message: `Cannot drop '${filter}': ${c.error.message}` });
}

export function removeNode(d: ModelState, name: string): void {
  d.nodes = d.nodes.filter((n) => n.name !== name);
  d.edges = d.edges.filter((e) => e.parent !== name);
}

/** Nodes nobody references and the monitor does not own are closed, their children released in turn (bdrv_unref). */
export function dropOrphans(d: ModelState): void {
  for (;;) {
    const orphan = d.nodes.find((n) => !n.owned && parentCount(d, n.name) === 0);
    if (!orphan) return;
    removeNode(d, orphan.name);
  }
}

export function removeBackends(d: ModelState, ids: readonly number[]): void {
  const gone = d.bbs.filter((b) => ids.includes(b.id)).map((b) => b.child);
  d.bbs = d.bbs.filter((b) => !ids.includes(b.id));
  loosen(d, gone);
}

/** A new BlockBackend is listed first (QEMU keeps them newest first). */
export function addBackend(d: ModelState, child: string, perm: PermSet, shared: PermSet): number {
  const id = d.nextId++;
  d.bbs.unshift({ id, child, perm, shared });
  return id;
}
