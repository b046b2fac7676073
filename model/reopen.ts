// blockdev-reopen (keep_old_opts = false) and the internal read-only reopens jobs and snapshots use (keep_old_opts).
import { wireJson } from '../qmp/json/wire-text.ts';
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { checkGraph, frozenLinks } from './check.ts';
import { context } from './context.ts';
import { adopt, attach, detach, draft, dropOrphans } from './edit.ts';
import { childEdge, childEdges, isFilter, isObject, lengthOf, lookup, node, num, parentCount, reaches, skipImplicitFilters, str } from './graph.ts';
import type { RoleSpec } from './perm-rules.ts';
import { OK, fail, ok } from './result.ts';
import type { Result } from './result.ts';
import type { ModelState } from './state.ts';

interface Entry {
  readonly node: string;
  /** What the node's options become (bs->explicit_options), and with the inherited read-only filled in. */
  readonly explicit: JsonObject;
  readonly options: JsonObject;
  readonly keepOld: boolean;
}

const REOPENABLE = ['file', 'null-co', 'raw', 'qcow2', 'throttle', 'blkdebug'];
/** Options a reopen may change or drop without restating them. */
const MUTABLE: Readonly<Record<string, readonly string[]>> = {
  file: ['drop-cache', 'x-check-cache-dropped'],
  raw: ['offset', 'size'],
  qcow2: ['lazy-refcounts', 'pass-discard-request', 'pass-discard-snapshot', 'pass-discard-other', 'overlap-check', 'cache-size', 'l2-cache-size', 'l2-cache-entry-size', 'refcount-cache-size', 'cache-clean-interval'],
  throttle: ['throttle-group'],
};
const RUNTIME = ['read-only', 'auto-read-only', 'cache.direct', 'cache.no-flush', 'discard', 'detect-zeroes'];
const CHILD_KEYS = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];

const omit = (o: JsonObject, keys: readonly string[]): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
export const stripChildren = (o: JsonObject): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => !CHILD_KEYS.includes(k)));

export function flatten(o: JsonObject, prefix = ''): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(o)) {
    const inner = Array.isArray(v) ? Object.fromEntries((v as readonly JsonValue[]).map((x, i) => [String(i), x])) : isObject(v) ? v : undefined;
    if (inner === undefined) out.set(prefix + k, v);
    else for (const [fk, fv] of flatten(inner, `${prefix}${k}.`)) out.set(fk, fv);
  }
  return out;
}

/** bdrv_reopen_queue_child: the node, then the children it opened itself, each inheriting read-only. */
function queue(s: ModelState, q: Entry[], name: string, given: JsonObject, keepOld: boolean, parent?: { role: RoleSpec; options: JsonObject }): void {
  const n = node(s, name);
  const i = q.findIndex((e) => e.node === name);
  const explicit = { ...(i >= 0 ? q[i]?.explicit : keepOld ? omit(n.opts, n.kept ?? []) : {}), ...given };
  const inherited = parent?.role.kind === 'cow' ? true : parent?.options['read-only'];
  const ro = 'read-only' in explicit ? explicit['read-only'] : typeof inherited === 'boolean' ? inherited : keepOld ? n.readOnly : undefined;
  const withRO = ro === undefined ? explicit : { ...explicit, 'read-only': ro };
  // keep_old_opts: what is still missing comes from the node's old options (bs->options), also when queued before
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

/** bdrv_reopen_parse_file_or_backing: a new `backing`/`file` reference replaces the old child (returned). */
function changeChild(d: ModelState, e: Entry, key: 'backing' | 'file'): Result<string | undefined> {
  const n = node(d, e.node);
  const value = e.options[key];
  if (value === undefined || isObject(value)) return ok(undefined);
  const target = typeof value === 'string' ? lookup(d, value, '') : undefined;
  if (target && !target.ok) return target;
  const to = target?.value.name;
  // checked at parse time, before the old child's frozen link or implicit filter
  if (to !== undefined && reaches(d, to, n.name)) return fail('cycle', `Making '${to}' a ${key} child of '${n.name}' would create a cycle`);
  const oldEdge = childEdge(d, n.name, key);
  const old = oldEdge?.child;
  if (old === to || (old !== undefined && skipImplicitFilters(d, old) === to)) return ok(undefined);
  if (old !== undefined && node(d, old).implicit) return fail('frozen', `Cannot replace implicit ${key} child of ${n.name}`);
  if (isFilter(n.driver) && oldEdge === undefined) return fail('invalid-param', `'${n.name}' is a ${n.driver} filter node that does not support a ${key} child`);
  const frozen = frozenLinks(d);
  // fix reopen-keeps-frozen-filter: a child this reopen would free must not hold a frozen link (7.2 aborts, commit-06)
  const dying = old !== undefined && parentCount(d, old) === 1 && !node(d, old).owned;
  const held = dying ? childEdges(d, old).find((c) => frozen.has(c)) : undefined;
  if (held) return fail('frozen', `Cannot free '${held.parent}': its '${held.name}' link to '${held.child}' is frozen`);
  if (oldEdge && frozen.has(oldEdge)) return fail('frozen', `Cannot change frozen '${key}' link from '${n.name}' to '${oldEdge.child}'`);
  const role: RoleSpec | undefined = isFilter(n.driver) ? { kind: 'filtered', primary: true } : key === 'backing' ? { kind: 'cow' } : oldEdge?.role;
  if (!role) return fail('invalid-param', 'Cannot set file child to format node without file child');
  if (oldEdge) detach(d, oldEdge);
  const a = to === undefined ? OK : attach(d, n.name, to, key, role);
  return a.ok ? ok(old) : a;
}

/** raw_apply_options: the window must lie inside the (current) file child and be sector-sized. */
export function checkWindow(real: number, offset: number | undefined, size: number | undefined): Result {
  if ((offset ?? 0) < 0 || (size ?? 0) < 0) return fail('invalid-param', 'offset and size must not be negative');
  if ((offset ?? 0) > real) return fail('invalid-param', `Offset (${offset ?? 0}) cannot be greater than size of the containing file (${real})`);
  if (size !== undefined && real - (offset ?? 0) < size) return fail('invalid-param', `The window ends beyond the containing file (${real})`);
  return size !== undefined && size % 512 !== 0 ? fail('invalid-param', 'Specified size is not multiple of 512') : OK;
}

/** bdrv_reopen_prepare for one entry: restated options, driver checks, then the new children (no perms yet).
 * Returns the children it replaced. */
function prepare(d: ModelState, e: Entry): Result<string[]> {
  const n = node(d, e.node);
  if (!REOPENABLE.includes(n.driver)) return fail('unsupported', `Block format '${n.driver}' used by node '${n.name}' does not support reopening files`);
  const mutable = MUTABLE[n.driver] ?? [];
  const discard = str(e.options, 'discard') ?? str(n.opts, 'discard') ?? 'ignore';
  if (e.options['detect-zeroes'] === 'unmap' && discard !== 'unmap') return fail('invalid-param', 'detect-zeroes=unmap needs discard=unmap');
  const oldFlat = flatten(n.opts);
  const newFlat = flatten(e.options);
  const dropped = [...oldFlat.keys()].find((k) => !newFlat.has(k) && !RUNTIME.includes(k) && k !== 'node-name' && !mutable.includes(k));
  if (dropped !== undefined) return fail('invalid-param', `Option '${dropped}' cannot be reset to its default value`);
  if (n.driver === 'raw') {
    const f = childEdge(d, n.name, 'file');
    const w = checkWindow(f ? lengthOf(d, f.child) : 0, num(e.options, 'offset'), num(e.options, 'size'));
    if (!w.ok) return w;
  }
  const group = str(e.options, 'throttle-group');
  if (n.driver === 'throttle' && !d.groups.includes(group ?? '')) return fail('not-found', `Throttle group '${group ?? ''}' does not exist`);
  // bs->backing_file: what the node's own header named (at open or its last write), not the image's header now
  if (n.driver === 'qcow2' && !e.keepOld && !('backing' in e.options) && (childEdge(d, n.name, 'backing') || n.backingFile !== undefined)) {
    return fail('invalid-param', `backing is missing for '${n.name}'`);
  }
  const oldBacking = changeChild(d, e, 'backing');
  if (!oldBacking.ok) return oldBacking;
  const oldFile = changeChild(d, e, 'file');
  if (!oldFile.ok) return oldFile;
  for (const [k, v] of Object.entries(e.options)) {
    if (mutable.includes(k)) continue;
    // the 'backing' and 'file' references are handled above; options for a child the node does not own are not
    if ((k === 'backing' || k === 'file') && !isObject(v)) continue;
    const edge = childEdge(d, n.name, k);
    if (edge && (v === edge.child || (isObject(v) && node(d, edge.child).inheritsFrom === n.name))) continue;
    for (const [fk, fv] of flatten({ [k]: v })) {
      if (RUNTIME.includes(fk)) continue;
      // 7.2 gets force-share back as a string from QemuOpts, so it never equals the typed old value
      const broken = fk === 'force-share' && context().emulate.has('force-share-never-restates');
      if (broken || wireJson(fv) !== wireJson(oldFlat.get(fk))) return fail('invalid-param', `Cannot change the option '${fk}'`);
    }
  }
  return ok([oldFile.value, oldBacking.value].filter((x): x is string => x !== undefined));
}

/** bdrv_reopen_multiple: prepare each entry, then set the new flags and check the whole graph once. */
function reopenQueue(d: ModelState, q: readonly Entry[]): Result {
  // DFS starts in queue order: each node, then its old backing, then its old file (the last start is checked first)
  const starts: string[] = [];
  for (const e of q) {
    const r = prepare(d, e);
    if (!r.ok) return r;
    starts.push(e.node, ...[...r.value].reverse());
  }
  for (const e of q) {
    const n = node(d, e.node);
    n.readOnly = e.options['read-only'] === true;
    const kept = Object.keys(stripChildren(e.options)).filter((k) => !(k in e.explicit) && !RUNTIME.includes(k));
    n.opts = stripChildren({ ...Object.fromEntries(kept.map((k) => [k, e.options[k] ?? null])), ...e.explicit });
    n.kept = kept;
  }
  const r = checkGraph(d, starts);
  if (r.ok) dropOrphans(d);
  return r;
}

export function blockdevReopen(d: ModelState, list: readonly JsonObject[]): Result {
  // 7.2 aborts on an empty list (Assertion 'bs_queue != NULL'); there is nothing to reopen, so say so
  if (list.length === 0) return fail('invalid-param', 'blockdev-reopen needs at least one node');
  const q: Entry[] = [];
  for (const opts of list) {
    const name = str(opts, 'node-name');
    if (name === undefined) return fail('invalid-param', 'node-name not specified');
    if (!d.nodes.some((n) => n.name === name)) return fail('not-found', `Failed to find node with node-name='${name}'`);
    queue(d, q, name, opts, false);
  }
  return reopenQueue(d, q);
}

/** bdrv_reopen_set_read_only: every other option kept; implicit children follow unless they say otherwise. */
export function setReadOnly(d: ModelState, name: string, readOnly: boolean): Result {
  const t = draft(d);
  const q: Entry[] = [];
  queue(t, q, name, { 'read-only': readOnly }, true);
  const r = reopenQueue(t, q);
  if (r.ok) adopt(d, t);
  return r;
}
