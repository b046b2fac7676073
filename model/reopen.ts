// blockdev-reopen (keep_old_opts false) and the internal read-only reopens of jobs and snapshots (keep_old_opts).
import type { JsonObject } from '../qmp/types.ts';
import { checkGraph, frozenLinks } from './check.ts';
import { adopt, nested } from './draft.ts';
import type { Draft } from './draft.ts';
import { driverFacts } from './drivers/index.ts';
import { attach, detach, dropOrphans, rebased } from './edit.ts';
import { childEdge, childEdges, isFilter, isObject, lookup, node, parentCount, reaches, skipImplicitFilters, str } from './graph.ts';
import { COW_ROLE, DRIVER_FACTS, FILTERED } from './perm-rules.ts';
import { RUNTIME, flatten, newOptions, queue } from './reopen-queue.ts';
import type { Entry } from './reopen-queue.ts';
import { OK, fail, ok } from './result.ts';
import type { Result } from './result.ts';

/** bdrv_reopen_parse_file_or_backing: a new `backing`/`file` reference replaces the old child (returned). */
function changeChild(d: Draft, e: Entry, key: 'backing' | 'file'): Result<string | undefined> {
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
  if (isFilter(n) && oldEdge === undefined) return fail('invalid-param', `'${n.name}' is a ${n.driver} filter node that does not support a ${key} child`);
  const frozen = frozenLinks(d);
  // a child this reopen would free must not hold a frozen link (7.2 frees it and aborts, commit-06)
  const dying = old !== undefined && parentCount(d, old) === 1 && !node(d, old).owned;
  const held = dying ? childEdges(d, old).find((c) => frozen.has(c)) : undefined;
  if (held) return fail('frozen', `Cannot free '${held.parent}': its '${held.name}' link to '${held.child}' is frozen`);
  if (oldEdge && frozen.has(oldEdge)) return fail('frozen', `Cannot change frozen '${key}' link from '${n.name}' to '${oldEdge.child}'`);
  const role = isFilter(n) ? FILTERED : key === 'backing' ? COW_ROLE : oldEdge?.role;
  if (!role) return fail('invalid-param', 'Cannot set file child to format node without file child');
  if (oldEdge) detach(d, oldEdge);
  const a = to === undefined ? OK : attach(d, n.name, to, key, role);
  if (!a.ok) return a;
  if (to === undefined) n.headerBacking = n.namesBacking !== true;
  else rebased(d, { parent: n.name, name: key, child: to, role });
  return ok(old);
}

/** bdrv_reopen_prepare for one entry: restated options, driver checks, then the new children. Returns the children
 * it replaced. */
function prepare(d: Draft, e: Entry): Result<string[]> {
  const n = node(d, e.node);
  const driver = driverFacts(n.driver);
  const mutable = driver.reopenMutable;
  if (mutable === undefined) return fail('unsupported', `Block format '${n.driver}' used by node '${n.name}' does not support reopening files`);
  const discard = str(e.options, 'discard') ?? str(n.opts, 'discard') ?? 'ignore';
  if (e.options['detect-zeroes'] === 'unmap' && discard !== 'unmap') return fail('invalid-param', 'detect-zeroes=unmap needs discard=unmap');
  const oldFlat = flatten(n.opts);
  const newFlat = flatten(e.options);
  const dropped = [...oldFlat.keys()].find((k) => !newFlat.has(k) && !RUNTIME.includes(k) && k !== 'node-name' && !mutable.includes(k));
  if (dropped !== undefined) return fail('invalid-param', `Option '${dropped}' cannot be reset to its default value`);
  const recheck = driver.recheck?.(d, n, e.options) ?? OK;
  if (!recheck.ok) return recheck;
  // bs->backing_file: what the node's own header named at open or its last rewrite
  const hasBacking = childEdge(d, n.name, 'backing') !== undefined || n.namesBacking === true;
  if (DRIVER_FACTS[n.driver]?.supportsBacking === true && !e.keepOld && !('backing' in e.options) && hasBacking) {
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
      if (!RUNTIME.includes(fk) && JSON.stringify(fv) !== JSON.stringify(oldFlat.get(fk))) return fail('invalid-param', `Cannot change the option '${fk}'`);
    }
  }
  return ok([oldFile.value, oldBacking.value].filter((x): x is string => x !== undefined));
}

/** bdrv_reopen_multiple: prepare each entry, then set the new flags and options and check the graph once. */
function reopenQueue(d: Draft, q: readonly Entry[]): Result {
  // refreshes start in queue order: each node, then its old backing, then its old file (the last start first)
  const starts: string[] = [];
  for (const e of q) {
    const r = prepare(d, e);
    if (!r.ok) return r;
    starts.push(e.node, ...[...r.value].reverse());
  }
  d.reopened.push(...q.map((e) => e.node));
  for (const e of q) Object.assign(node(d, e.node), { readOnly: e.options['read-only'] === true, ...newOptions(e) });
  const r = checkGraph(d, starts);
  if (r.ok) dropOrphans(d);
  return r;
}

export function blockdevReopen(d: Draft, list: readonly JsonObject[]): Result {
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
export function setReadOnly(d: Draft, name: string, readOnly: boolean): Result {
  const t = nested(d);
  const q: Entry[] = [];
  queue(t, q, name, { 'read-only': readOnly }, true);
  const r = reopenQueue(t, q);
  if (r.ok) adopt(d, t);
  return r;
}
