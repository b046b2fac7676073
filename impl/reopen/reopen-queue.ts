// bdrv_reopen_queue_child: which nodes a reopen touches, with which options and read-only flag.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockNode } from '../core/graph.ts';
import type { ChildRole } from '../core/role.ts';

export interface ReopenEntry {
  readonly node: BlockNode;
  /** New options (nested children still as dicts); with keepOld the old explicit options are merged in. */
  readonly options: JsonObject;
  readonly readOnly: boolean;
  readonly backingMissing: boolean;
}

const isDict = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Children inherit read-only from the parent's new flags; backing files default to read-only. */
function inheritedReadOnly(role: ChildRole, parentReadOnly: boolean): boolean {
  return role.kind === 'cow' ? true : parentReadOnly;
}

export function queueReopen(
  queue: ReopenEntry[],
  node: BlockNode,
  given: JsonObject,
  keepOld: boolean,
  inherited?: { readonly role: ChildRole; readonly parentReadOnly: boolean },
): void {
  const options: JsonObject = keepOld ? { ...node.options, ...given } : given;
  const ro = options['read-only'];
  const readOnly =
    typeof ro === 'boolean' ? ro : inherited ? inheritedReadOnly(inherited.role, inherited.parentReadOnly) : keepOld ? node.readOnly : false;
  const existing = queue.findIndex((e) => e.node === node);
  const entry: ReopenEntry = { node, options, readOnly, backingMissing: !('backing' in options) };
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
    queueReopen(queue, c.child, childOpts, childKeepOld, { role: c.role, parentReadOnly: readOnly });
  }
}
