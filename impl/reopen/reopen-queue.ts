// bdrv_reopen_queue_child: which nodes a reopen touches, with which options and read-only flag.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockNode } from '../core/graph.ts';
import type { ChildRole } from '../core/role.ts';

export interface ReopenEntry {
  readonly node: BlockNode;
  /** New options (nested children still as dicts), with an inherited read-only value filled in. */
  readonly options: JsonObject;
  /** What becomes the node's explicit options (bs->explicit_options) on commit. */
  readonly explicit: JsonObject;
  readonly readOnly: boolean;
  readonly backingMissing: boolean;
}

const isDict = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

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

export function queueReopen(
  queue: ReopenEntry[],
  node: BlockNode,
  given: JsonObject,
  keepOld: boolean,
  inherited?: Inheritance,
): void {
  const existing = queue.findIndex((e) => e.node === node);
  // a node queued twice merges: what the later entry omits keeps the earlier entry's value
  const base = existing >= 0 ? queue[existing]!.explicit : keepOld ? node.options : {};
  const explicit: JsonObject = { ...base, ...given };
  const options = withReadOnly(node, explicit, keepOld, inherited);
  const readOnly = options['read-only'] === true;
  // only a user reopen (keep_old_opts=false) must restate 'backing'
  const entry: ReopenEntry = { node, options, explicit, readOnly, backingMissing: !keepOld && !('backing' in options) };
  if (existing >= 0) queue[existing] = entry;
  else queue.push(entry);
  for (const c of node.children) {
    if (c.child.inheritsFrom !== node) continue;
    const v = given[c.name];
    let childOpts: JsonObject = {};
    let childKeepOld = keepOld;
    if (v !== undefined) {
      if (typeof v === 'string') {
        if (v !== c.child.name) continue;
        childKeepOld = true;
      } else if (isDict(v)) {
        childOpts = v;
      } else {
        continue;
      }
    }
    queueReopen(queue, c.child, childOpts, childKeepOld, { role: c.role, parentOptions: options });
  }
}
