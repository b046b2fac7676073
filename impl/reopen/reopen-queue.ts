// bdrv_reopen_queue_child: which nodes a reopen touches, with which options and read-only flag.
import { segfaultOf } from '../core/segfault.ts';
import { dieNow } from '../core/qemu-dies.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockNode } from '../core/graph.ts';
import type { ChildRole } from '../core/role.ts';
import { flatten } from '../qapi/flatten.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

export interface ReopenEntry {
  readonly node: BlockNode;
  /** New options (nested children still as dicts), with inherited read-only and discard values filled in. */
  readonly options: JsonObject;
  /** What becomes the node's explicit options (bs->explicit_options) on commit. */
  readonly explicit: JsonObject;
  readonly readOnly: boolean;
  readonly backingMissing: boolean;
  /** Flattened child options that a child reference of the same name shadows after a merge ("file.driver"). */
  readonly stray: ReadonlyMap<string, JsonValue>;
  /** bs->options becomes a clone of these: same-bucket keys then iterate oldest first, unless the parent's
   * options (extracted in hash order) already flipped them once. */
  readonly oldestFirst: boolean;
}

/** What a queued child inherits from its parent's entry. */
interface Inheritance {
  readonly role: ChildRole;
  /** The parent's options, including a read-only value it inherited itself. */
  readonly parentOptions: JsonObject;
}

/**
 * bdrv_reopen_queue_child's precedence for read-only: the node's own value, then (kept children) its old
 * explicit value, then the parent's (backing files default to on), then the old effective value, then off.
 */
function withReadOnly(node: BlockNode, explicit: JsonObject, keepOld: boolean, inh: Inheritance | undefined): JsonObject {
  if ('read-only' in explicit) return explicit;
  if (inh?.role.kind === 'cow') return { ...explicit, 'read-only': true };
  const fromParent = inh?.parentOptions['read-only'];
  if (typeof fromParent === 'boolean') return { ...explicit, 'read-only': fromParent };
  if (keepOld) return { ...explicit, 'read-only': node.readOnly };
  return explicit;
}

/** bdrv_inherited_options again: a requeued child without its own `discard` gets unmap, as at its open. */
function withInherited(node: BlockNode, explicit: JsonObject, keepOld: boolean, inh: Inheritance | undefined): JsonObject {
  const joined = withReadOnly(node, explicit, keepOld, inh);
  return inh === undefined || 'discard' in joined ? joined : { ...joined, discard: 'unmap' };
}

/**
 * qdict_join of a node's earlier options into new ones, on flattened dicts: "file": "x" and "file.driver" are
 * different keys, so a reference and a dict under one name both survive; the reference is the one that counts.
 */
function joinOptions(base: JsonObject, given: JsonObject, stray: Map<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { ...base, ...given };
  for (const [k, v] of Object.entries(given)) {
    const old = base[k];
    if (old === undefined || isObjectValue(v) === isObjectValue(old)) continue;
    if (isObjectValue(v)) out[k] = old;
    for (const [fk, fv] of flatten({ [k]: isObjectValue(v) ? v : old })) stray.set(fk, fv);
  }
  return out;
}

/** The option for child `name` as the flattened dict has it: "children.0" is element 0 of a "children" list. */
function childOption(options: JsonObject, name: string): JsonValue | undefined {
  if (name in options) return options[name];
  const m = /^(.+)\.(\d+)$/.exec(name);
  const list = m?.[1] === undefined ? undefined : options[m[1]];
  return Array.isArray(list) ? list[Number(m?.[2])] : undefined;
}

export function queueReopen(
  queue: ReopenEntry[],
  node: BlockNode,
  given: JsonObject,
  keepOld: boolean,
  inherited?: Inheritance,
): void {
  const existing = queue.findIndex((e) => e.node === node);
  // a node queued twice merges: what the later entry omits keeps the earlier entry's value
  const prev = existing >= 0 ? queue[existing] : undefined;
  const kept = node.keptOptions ?? [];
  const base = prev ? prev.explicit : keepOld ? Object.fromEntries(Object.entries(node.options).filter(([k]) => !kept.includes(k))) : {};
  const stray = new Map(prev?.stray ?? []);
  const explicit = joinOptions(base, given, stray);
  const joined = withInherited(node, { ...explicit }, keepOld, inherited);
  // keep_old_opts: what is still missing comes from the node's old options (bs->options), also when queued before
  const options = keepOld && (prev || kept.length > 0) ? { ...node.options, ...joined } : joined;
  const readOnly = options['read-only'] === true;
  // only a user reopen (keep_old_opts=false) decides whether 'backing' was restated; a re-queue keeps that
  const backingMissing = keepOld ? (prev?.backingMissing ?? false) : !('backing' in options);
  const oldestFirst = inherited === undefined || keepOld;
  const entry: ReopenEntry = { node, options, explicit, readOnly, backingMissing, stray, oldestFirst };
  if (existing >= 0) queue[existing] = entry;
  else queue.push(entry);
  for (const c of node.children) {
    if (c.child.inheritsFrom !== node) continue;
    const v = childOption(explicit, c.name);
    let childOpts: JsonObject = {};
    let childKeepOld = keepOld;
    if (v !== undefined) {
      if (typeof v === 'string') {
        if (v !== c.child.name) continue;
        childKeepOld = true;
      } else if (isObjectValue(v)) {
        childOpts = v;
        // the child's options move to its own entry (qdict_extract_subqdict on explicit_options)
        if (c.name in explicit) delete explicit[c.name];
      } else {
        continue;
      }
    }
    // the recursion passes bs->drv->is_format: NULL once a fatal qcow2 corruption cleared the driver
    if (node.driverGone) dieNow(segfaultOf('driver-gone'));
    queueReopen(queue, c.child, childOpts, childKeepOld, { role: c.role, parentOptions: options });
  }
}
