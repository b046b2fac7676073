// bdrv_reopen_prepare for one queue entry: option checks, then backing/file changes (no perms yet).
import { wireJson } from '../../qmp/json/wire-text.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { attachChildNoPerm, cycleError, reaches } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { detachEdge } from '../core/graph-edit.ts';
import { lookupBs } from '../core/lookup.ts';
import { fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { COW, FILTERED_PRIMARY } from '../core/role.ts';
import type { Transaction } from '../core/transaction.ts';
import type { ReopenEntry } from './reopen-queue.ts';
import { flatten } from '../qapi/flatten.ts';
import { qdictOrder } from '../../qmp/qdict-order.ts';
import { checkDetectZeroes, discardOption } from '../core/generic-options.ts';
import { DEATHS } from '../core/deaths.ts';
import { dieNow } from '../core/qemu-dies.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** bdrv_reset_options_allowed's common_options: these may be dropped without restating. */
export const RESET_EXEMPT = ['node-name', 'discard', 'cache.direct', 'cache.no-flush', 'read-only', 'auto-read-only', 'detect-zeroes'];
/** Runtime options bdrv_reopen_prepare deletes before comparing the rest with the old options. */
const CONSUMED = ['read-only', 'auto-read-only', 'cache.direct', 'cache.no-flush', 'discard', 'detect-zeroes'];

export interface Prepared {
  /** Old children replaced by this reopen: their subtrees get their perms refreshed too. */
  readonly oldBacking: BlockNode | undefined;
  readonly oldFile: BlockNode | undefined;
}

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return wireJson(a) === wireJson(b);
}

function skipImplicitFilters(n: BlockNode): BlockNode {
  let cur = n;
  while (cur.implicit) {
    const next = cur.children.find((e) => e.role.kind === 'filtered')?.child;
    if (!next) break;
    cur = next;
  }
  return cur;
}

/** bdrv_reopen_parse_file_or_backing */
function changeChild(env: BlockEnv, tx: Transaction, e: ReopenEntry, isBacking: boolean): Result<BlockNode | undefined> {
  const node = e.node;
  const key = isBacking ? 'backing' : 'file';
  const value = e.options[key];
  if (value === undefined || (typeof value === 'object' && value !== null)) return { ok: true, value: undefined };
  const oldEdge = node.children.find((c) => c.name === key);
  let target: BlockNode | undefined;
  if (typeof value === 'string') {
    const found = lookupBs(env, undefined, value);
    if (!found.ok) return found;
    target = found.value;
    // checked at parse time, before the old child's frozen link or implicit filter
    if (reaches(target, node)) return cycleError(target, key, node);
  }
  const old = oldEdge?.child;
  if (old === target) return { ok: true, value: undefined };
  if (old) {
    if (skipImplicitFilters(old) === target) return { ok: true, value: undefined };
    if (old.implicit) return fail('frozen', `Cannot replace implicit ${key} child of ${node.name}`);
  }
  if (node.driver.isFilter && !old) {
    return fail('invalid-param', `'${node.name}' is a ${node.driver.name} filter node that does not support a ${key} child`);
  }
  // fix reopen-keeps-frozen-filter: 7.2 frees the old child anyway and asserts on its frozen link (commit-06)
  const frozenBelow = old && env.behaviour.fixes.has('reopen-keeps-frozen-filter') && old.parents.length === 1 && !old.monitorOwned
    ? old.children.find((c) => c.frozen)
    : undefined;
  if (old && frozenBelow) {
    return fail('frozen', `Cannot change frozen '${frozenBelow.name}' link from '${old.name}' to '${frozenBelow.child.name}'`);
  }
  if (oldEdge?.frozen) {
    return fail('frozen', `Cannot change frozen '${oldEdge.name}' link from '${node.name}' to '${oldEdge.child.name}'`);
  }
  if (isBacking && !node.driver.isFilter && !node.driver.supportsBacking) {
    return fail('unsupported', `Driver '${node.driver.name}' of node '${node.name}' does not support backing files`);
  }
  const role = node.driver.isFilter ? FILTERED_PRIMARY : isBacking ? COW : oldEdge?.role;
  if (!role) return fail('invalid-param', 'Cannot set file child to format node without file child');
  if (oldEdge) detachEdge(env, tx, oldEdge);
  if (target) {
    const a = attachChildNoPerm(env, tx, node, target, key, role);
    if (!a.ok) return a;
  }
  return { ok: true, value: old };
}

export function prepareReopen(env: BlockEnv, tx: Transaction, e: ReopenEntry): Result<Prepared> {
  const node = e.node;
  if (node.driverGone) dieNow(DEATHS.reopenWithoutDriver);
  const drv = node.driver;
  if (!drv.reopen) {
    return fail('unsupported', `Block format '${drv.name}' used by node '${node.name}' does not support reopening files`);
  }
  const mutable = drv.reopen.mutableOptions;
  // a reopen that leaves `discard` out keeps the node's BDRV_O_UNMAP (bdrv_get_flags)
  const discard = discardOption(e.options);
  if (!discard.ok) return discard;
  const dz = checkDetectZeroes(e.options, discard.value ?? node.discard);
  if (!dz.ok) return dz;
  const newFlat = flatten(e.options);
  const oldFlat = flatten(node.options);
  const oldKeys = [...oldFlat.keys()];
  for (const k of qdictOrder(node.optionsOldestFirst ? oldKeys.reverse() : oldKeys)) {
    if (!newFlat.has(k) && !RESET_EXEMPT.includes(k) && !mutable.includes(k)) {
      return fail('invalid-param', `Option '${k}' cannot be reset to its default value`);
    }
  }
  if (drv.reopen.prepare) {
    const r = drv.reopen.prepare(env, node, e.options);
    if (!r.ok) return r;
  }
  if (drv.supportsBacking && e.backingMissing && (node.children.some((c) => c.name === 'backing') || node.backingFile !== undefined)) {
    return fail('invalid-param', `backing is missing for '${node.name}'`);
  }
  const b = changeChild(env, tx, e, true);
  if (!b.ok) return b;
  const f = changeChild(env, tx, e, false);
  if (!f.ok) return f;
  const rest = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(e.options)) {
    if (mutable.includes(k)) continue;
    // bdrv_reopen_prepare deletes the 'backing' and 'file' references; their flattened options stay
    if ((k === 'backing' || k === 'file') && !isObjectValue(v)) continue;
    const edge = node.children.find((c) => c.name === k);
    // child references to the current child, and dicts of children reopened in their own entry
    if (typeof v === 'string' && edge && edge.child.name === v) continue;
    if (edge && edge.child.inheritsFrom === node && isObjectValue(v)) continue;
    for (const [fk, fv] of flatten({ [k]: v })) if (!CONSUMED.includes(fk)) rest.set(fk, fv);
  }
  for (const [k, v] of e.stray) rest.set(k, v);
  for (const k of qdictOrder([...rest.keys()])) {
    // force-share comes back from QemuOpts as a string and never equals the typed old value (7.2 TODO)
    if (k === 'force-share' || !jsonEqual(rest.get(k), oldFlat.get(k))) {
      drv.reopen.abortInPrepare?.(env, node, f.value !== undefined);
      return fail('invalid-param', `Cannot change the option '${k}'`);
    }
  }
  return { ok: true, value: { oldBacking: b.value, oldFile: f.value } };
}
