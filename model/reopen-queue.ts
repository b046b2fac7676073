// bdrv_reopen_queue: which nodes a reopen touches and with which options (the node, then the children it opened
// itself, each inheriting read-only), for blockdev-reopen (keep_old_opts false) and internal reopens (true).
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { childEdges, isObject, node } from './graph.ts';
import { stripChildren } from './open.ts';
import type { RoleSpec } from './perm-rules.ts';
import type { ModelState } from './state.ts';

export interface Entry {
  readonly node: string;
  /** What the node's options become (bs->explicit_options). */
  readonly explicit: JsonObject;
  /** The options it is reopened with, the inherited read-only filled in. */
  readonly options: JsonObject;
  readonly keepOld: boolean;
}

/** Options every reopen may change or leave out. */
export const RUNTIME = ['read-only', 'auto-read-only', 'cache.direct', 'cache.no-flush', 'discard', 'detect-zeroes'];

const omit = (o: JsonObject, keys: readonly string[]): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** Options as QEMU's flat dicts hold them: `cache.direct`, `children.0`. */
export function flatten(o: JsonObject, prefix = ''): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(o)) {
    const inner = Array.isArray(v) ? Object.fromEntries((v as readonly JsonValue[]).map((x, i) => [String(i), x])) : isObject(v) ? v : undefined;
    if (inner === undefined) out.set(prefix + k, v);
    else for (const [fk, fv] of flatten(inner, `${prefix}${k}.`)) out.set(fk, fv);
  }
  return out;
}

/** Adds `name` (again: its entry is replaced, a later listing wins) and the children it opened itself. */
export function queue(s: ModelState, q: Entry[], name: string, given: JsonObject, keepOld: boolean, parent?: { role: RoleSpec; options: JsonObject }): void {
  const n = node(s, name);
  const i = q.findIndex((e) => e.node === name);
  const explicit = { ...(i >= 0 ? q[i]?.explicit : keepOld ? omit(n.opts, n.kept ?? []) : {}), ...given };
  const inherited = parent?.role.kind === 'cow' ? true : parent?.options['read-only'];
  const ro = 'read-only' in explicit ? explicit['read-only'] : typeof inherited === 'boolean' ? inherited : keepOld ? n.readOnly : undefined;
  const withRO = ro === undefined ? explicit : { ...explicit, 'read-only': ro };
  // keep_old_opts: what is still missing comes from the node's old options (bs->options)
  const options = keepOld ? { ...n.opts, ...withRO } : withRO;
  const entry = { node: name, explicit, options, keepOld };
  if (i >= 0) q[i] = entry;
  else q.push(entry);
  for (const c of [...childEdges(s, name)].reverse()) {
    if (node(s, c.child).inheritsFrom !== name) continue;
    // flattened options: "children.0" is element 0 of a "children" list
    const list = /^(.+)\.(\d+)$/.exec(c.name);
    const listed = list?.[1] !== undefined ? given[list[1]] : undefined;
    const v = c.name in given ? given[c.name] : Array.isArray(listed) ? listed[Number(list?.[2])] : undefined;
    if (typeof v === 'string' && v !== c.child) continue;
    if (v !== undefined && typeof v !== 'string' && !isObject(v)) continue;
    queue(s, q, c.child, isObject(v) ? v : {}, typeof v === 'string' ? true : keepOld, { role: c.role, options });
  }
}

/** The node's options after the reopen: what it was given, and (internal reopens) what was kept from before. */
export function newOptions(e: Entry): { readonly opts: JsonObject; readonly kept: readonly string[] } {
  const kept = Object.keys(stripChildren(e.options)).filter((k) => !(k in e.explicit) && !RUNTIME.includes(k));
  return { opts: stripChildren({ ...Object.fromEntries(kept.map((k) => [k, e.options[k] ?? null])), ...e.explicit }), kept };
}
