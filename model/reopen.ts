// blockdev-reopen (everything restated) and internal read-only reopens (old options kept): a node and what it opened.
import { wireJson } from '../qmp/json/wire-text.ts';
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { checkGraph, frozenLinks } from './check.ts';
import { adopt, nested, type Draft } from './draft.ts';
import { driverFacts } from './drivers/index.ts';
import { attach, detach, dropOrphans, rebased } from './edit.ts';
import { childEdge, childEdges, isFilter, lookup, node, parentCount, reaches, skipImplicitFilters, str } from './graph.ts';
import { isObjectValue } from '../qmp/json-value.ts';
import { stripChildren } from './open.ts';
import { COW_ROLE, DRIVER_FACTS, FILTERED, type RoleSpec } from './perm-rules.ts';
import { OK, fail, failureOf, isRefusal, ok, type Result } from './result.ts';
import type { ModelState } from './state.ts';

/** `explicit`: the node's options after; `options`: what it reopens with; `backingMissing`: listed without `backing`. */
type Entry = { readonly node: string; readonly explicit: JsonObject; readonly options: JsonObject; readonly backingMissing: boolean };
type Parent = { readonly role: RoleSpec; readonly options: JsonObject };

/** Options every reopen may change or leave out. */
const RUNTIME = ['read-only', 'auto-read-only', 'cache.direct', 'cache.no-flush', 'discard', 'detect-zeroes'];

/** Options as QEMU's flat dicts hold them: `cache.direct`, `children.0`. */
function flatten(o: JsonObject, prefix = ''): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(o)) {
    const inner = Array.isArray(v) ? Object.fromEntries((v as readonly JsonValue[]).map((x, i) => [String(i), x])) : isObjectValue(v) ? v : undefined;
    if (inner === undefined) out.set(prefix + k, v);
    else for (const [fk, fv] of flatten(inner, `${prefix}${k}.`)) out.set(fk, fv);
  }
  return out;
}

/** bdrv_reopen_queue_child: adds `name` (again: a later listing wins) and the children it opened itself. */
function queue(s: ModelState, q: Entry[], name: string, given: JsonObject, keepOld: boolean, flip: boolean, parent?: Parent): void {
  const [n, i] = [node(s, name), q.findIndex((e) => e.node === name)];
  const old = keepOld ? Object.fromEntries(Object.entries(n.opts).filter(([k]) => !(n.kept ?? []).includes(k))) : {};
  const explicit = { ...(i >= 0 ? q[i]?.explicit : old), ...given };
  const inherited = parent?.role.kind === 'cow' ? true : parent?.options['read-only'];
  const ro = 'read-only' in explicit ? explicit['read-only'] : typeof inherited === 'boolean' ? inherited : keepOld ? n.readOnly : undefined;
  // a child queued through its parent takes discard=unmap again unless it states its own (bdrv_inherited_options)
  const discard: JsonObject = parent !== undefined && !('discard' in explicit) ? { discard: 'unmap' } : {};
  const options = { ...(keepOld ? n.opts : {}), ...explicit, ...discard, ...(ro === undefined ? {} : { 'read-only': ro }) };
  const backingMissing = keepOld ? (q[i]?.backingMissing ?? false) : !('backing' in options);
  q.splice(i < 0 ? q.length : i, 1, { node: name, explicit, options, backingMissing });
  // bs->children, newest first (`flip`: the other way)
  for (const c of (flip ? childEdges(s, name) : childEdges(s, name).reverse()).filter((e) => node(s, e.child).inheritsFrom === name)) {
    // flattened options: "children.0" is element 0 of a "children" list
    const [, list, index] = /^(.+)\.(\d+)$/.exec(c.name) ?? [];
    const listed = list === undefined ? undefined : given[list];
    const v = c.name in given ? given[c.name] : Array.isArray(listed) ? listed[Number(index)] : undefined;
    if ((typeof v === 'string' && v !== c.child) || (v !== undefined && typeof v !== 'string' && !isObjectValue(v))) continue;
    // a child's dict moves to its own entry (qdict_extract_subqdict): queued again, the node no longer states it
    if (isObjectValue(v) && c.name in explicit) delete explicit[c.name];
    queue(s, q, c.child, isObjectValue(v) ? v : {}, typeof v === 'string' ? true : keepOld, flip, { role: c.role, options });
  }
}

/** bdrv_reopen_parse_file_or_backing: a new `backing`/`file` reference replaces the old child (returned). */
function changeChild(d: Draft, e: Entry, key: 'backing' | 'file'): Result<string | undefined> {
  const [n, value] = [node(d, e.node), e.options[key]];
  const target = typeof value === 'string' ? lookup(d, value, '') : undefined;
  if (value === undefined || isObjectValue(value) || (target && !target.ok)) return target && !target.ok ? target : ok(undefined);
  const [to, oldEdge] = [target?.value.name, childEdge(d, n.name, key)];
  const old = oldEdge?.child;
  // checked at parse time, before the old child's frozen link or implicit filter
  if (to !== undefined && reaches(d, to, n.name)) return fail('cycle', `Making '${to}' a ${key} child of '${n.name}' would create a cycle`);
  if (old === to || (old !== undefined && skipImplicitFilters(d, old) === to)) return ok(undefined);
  if (old !== undefined && node(d, old).implicit) return fail('frozen', `Cannot replace implicit ${key} child of ${n.name}`);
  if (isFilter(n) && oldEdge === undefined) return fail('invalid-param', `'${n.name}' is a ${n.driver} filter node that does not support a ${key} child`);
  if (oldEdge && frozenLinks(d).has(oldEdge)) return fail('frozen', `Cannot change frozen '${key}' link from '${n.name}' to '${oldEdge.child}'`);
  const role = isFilter(n) ? FILTERED : key === 'backing' ? COW_ROLE : oldEdge?.role;
  if (!role) return fail('invalid-param', 'Cannot set file child to format node without file child');
  if (oldEdge) detach(d, oldEdge);
  const a = to === undefined ? OK : attach(d, n.name, to, key, role);
  if (a.ok && to !== undefined) rebased(d, { parent: n.name, name: key, child: to, role });
  return a.ok ? ok(old) : a;
}

/** bdrv_reopen_prepare for one entry: restated options, driver checks, then the new children (those replaced). */
function prepare(d: Draft, e: Entry): Result<string[]> {
  const [n, oldFlat, newFlat] = [node(d, e.node), flatten(node(d, e.node).opts), flatten(e.options)];
  const { reopenMutable: mutable, recheck } = driverFacts(n.driver);
  if (mutable === undefined) return fail('unsupported', `Block format '${n.driver}' used by node '${n.name}' does not support reopening files`);
  const discard = str(e.options, 'discard') ?? (n.unmap === true ? 'unmap' : 'ignore');
  if (e.options['detect-zeroes'] === 'unmap' && discard !== 'unmap') return fail('invalid-param', 'detect-zeroes=unmap needs discard=unmap');
  const dropped = [...oldFlat.keys()].find((k) => !newFlat.has(k) && !RUNTIME.includes(k) && k !== 'node-name' && !mutable.includes(k));
  if (dropped !== undefined) return fail('invalid-param', `Option '${dropped}' cannot be reset to its default value`);
  const checked = recheck?.(d, n, e.options) ?? OK;
  if (!checked.ok) return checked;
  // bs->backing_file: what the node's own header named at open or its last rewrite
  const hasBacking = childEdge(d, n.name, 'backing') !== undefined || n.namesBacking === true;
  if (DRIVER_FACTS[n.driver]?.supportsBacking && e.backingMissing && hasBacking) return fail('invalid-param', `backing is missing for '${n.name}'`);
  const oldBacking = changeChild(d, e, 'backing');
  const oldFile = oldBacking.ok ? changeChild(d, e, 'file') : oldBacking;
  if (!oldFile.ok) return oldFile;
  if (!oldBacking.ok) return oldBacking;
  for (const [k, v] of Object.entries(e.options)) {
    // references were handled above; options for a child the node does not own are not its own
    const edge = childEdge(d, n.name, k);
    if (mutable.includes(k) || ((k === 'backing' || k === 'file') && !isObjectValue(v))) continue;
    if (edge && (v === edge.child || (isObjectValue(v) && node(d, edge.child).inheritsFrom === n.name))) continue;
    const changed = [...flatten({ [k]: v })].find(([fk, fv]) => !RUNTIME.includes(fk) && wireJson(fv) !== wireJson(oldFlat.get(fk)));
    if (changed) return fail('invalid-param', `Cannot change the option '${changed[0]}'`);
  }
  return ok([oldFile.value, oldBacking.value].filter((x): x is string => x !== undefined));
}

/** bdrv_reopen_multiple: prepare each entry, then set the new flags and options and check the graph once. */
function reopenQueue(d: Draft, q: readonly Entry[]): Result {
  // the refresh covers each node and the children it let go
  const replaced: string[] = [];
  d.reopened.push(...q.map((e) => e.node));
  for (const e of q) {
    const r = prepare(d, e);
    if (!r.ok) return r;
    replaced.push(...r.value);
  }
  for (const e of q) {
    const kept = Object.keys(stripChildren(e.options)).filter((k) => !(k in e.explicit) && !RUNTIME.includes(k));
    const opts = stripChildren({ ...Object.fromEntries(kept.map((k) => [k, e.options[k] ?? null])), ...e.explicit });
    const discard = str(e.options, 'discard');
    Object.assign(node(d, e.node), { readOnly: e.options['read-only'] === true, opts, kept, ...(discard === undefined ? {} : { unmap: discard === 'unmap' }) });
  }
  // a child this reopen frees must not hold a frozen link: 7.2 frees it after the refresh and aborts (commit-06)
  const freed = new Set(replaced.filter((c) => parentCount(d, c) === 0 && !node(d, c).owned));
  const frozen = freed.size > 0 ? frozenLinks(d) : undefined;
  const held = d.edges.filter((l) => freed.has(l.parent) && frozen?.has(l) === true);
  const r = checkGraph(d, [...q.map((e) => e.node), ...replaced]);
  const out = failureOf(r, ...held.map((l) => fail('frozen', `Cannot free '${l.parent}': its '${l.name}' link to '${l.child}' is frozen`))) ?? r;
  if (out.ok) dropOrphans(d);
  return out;
}

export function blockdevReopen(d: Draft, list: readonly JsonObject[]): Result {
  // 7.2 aborts on an empty list (Assertion 'bs_queue != NULL'); there is nothing to reopen, so say so
  if (list.length === 0) return fail('invalid-param', 'blockdev-reopen needs at least one node');
  const [q, flipped]: [Entry[], Entry[]] = [[], []];
  for (const opts of list) {
    const name = str(opts, 'node-name');
    if (name === undefined) return fail('invalid-param', 'node-name not specified');
    if (!d.nodes.some((n) => n.name === name)) return fail('not-found', `Failed to find node with node-name='${name}'`);
    queue(d, q, name, opts, false, false);
    queue(d, flipped, name, opts, false, true);
  }
  return eitherOrder(d, q, flipped);
}

/** A node its parent links to twice inherits from the link queued last: QEMU's child order, which a failed reopen's
 * rollback changes (the removed link goes back to the head), so the queue in either order is allowed. */
function eitherOrder(d: Draft, q: readonly Entry[], flipped: readonly Entry[]): Result {
  if (q.every((e) => wireJson(e.options) === wireJson(flipped.find((f) => f.node === e.node)?.options ?? null))) return reopenQueue(d, q);
  const runs = [q, flipped].map((x) => ({ t: nested(d), x })).map(({ t, x }) => ({ t, r: reopenQueue(t, x) }));
  const [won, failed] = [runs.find((x) => x.r.ok), failureOf(...runs.map((x) => x.r))];
  if (won === undefined || (failed !== undefined && !isRefusal(failed))) return failed ?? OK;
  adopt(d, won.t);
  if (failed !== undefined) d.mayFail.push(failed.error, ...(failed.also ?? []));
  return OK;
}

/** bdrv_reopen_set_read_only: every other option kept; implicit children follow unless they say otherwise. */
export function setReadOnly(d: Draft, name: string, readOnly: boolean, eitherChildOrder = false): Result {
  const [t, q, flipped] = [nested(d), [] as Entry[], [] as Entry[]];
  queue(t, q, name, { 'read-only': readOnly }, true, false);
  // where its refusal is not ignored (a job start's), the other child order's refusal may be met too
  if (eitherChildOrder) queue(t, flipped, name, { 'read-only': readOnly }, true, true);
  const r = eitherChildOrder ? eitherOrder(t, q, flipped) : reopenQueue(t, q);
  if (r.ok) adopt(d, t);
  return r;
}
