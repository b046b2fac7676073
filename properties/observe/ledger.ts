// What the session told a build, kept where the build does not show it back: the options each node was opened or
// reopened with (force-share, take-child-perms, a raw window: perm-rule inputs QMP never reports), which exports
// are writable, whether the NBD server runs. Only a command the build accepted changes it.
import type { JsonObject, JsonValue, QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** A named node's options as given (children too: a name or a nested dict): when opened, and as of now. */
export interface Given {
  readonly opened: JsonObject;
  readonly current: JsonObject;
  /** Its own force-share, or the one of the node whose options held it: fixed at open, whatever happens to that node. */
  readonly forceShare: boolean;
}

export interface Ledger {
  readonly nodes: ReadonlyMap<string, Given>;
  /** Exports by id, as added: the node and whether writable (query-block-exports shows no `writable`). */
  readonly exports: ReadonlyMap<string, { readonly node: string; readonly writable: boolean }>;
  /** Throttle groups added (a target without qom-list shows them only here). */
  readonly groups: ReadonlySet<string>;
  readonly nbdServer: boolean;
}

export const EMPTY_LEDGER: Ledger = { nodes: new Map(), exports: new Map(), groups: new Set(), nbdServer: false };

/** Keys under which a driver names a child (semantics §5.1 I5; `children` is quorum's list). */
export const CHILD_KEYS: readonly string[] = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];

const argsOf = (cmd: QmpCommand): JsonObject => (isObjectValue(cmd.arguments) ? cmd.arguments : {});

/**
 * Every dict in an options tree that names its node; `opening` keeps what a node was opened with. A nested dict's
 * node inherits force-share from the one it is nested in (bdrv_inherited_options); a reopen cannot change it.
 */
function namedDicts(o: JsonObject, out: Map<string, Given>, opening: boolean, inherited = false): void {
  const name = o['node-name'];
  const own = o['force-share'];
  const forceShare = typeof own === 'boolean' ? own : inherited;
  const known = typeof name === 'string' ? out.get(name) : undefined;
  if (typeof name === 'string') out.set(name, { opened: opening || !known ? o : known.opened, current: o, forceShare: opening || !known ? forceShare : known.forceShare });
  for (const k of CHILD_KEYS) {
    const v = o[k];
    const list = Array.isArray(v) ? (v as readonly JsonValue[]) : [v];
    for (const x of list) if (isObjectValue(x)) namedDicts(x, out, opening, forceShare);
  }
}

function withNodes(l: Ledger, dicts: readonly JsonObject[], opening: boolean): Ledger {
  const nodes = new Map(l.nodes);
  for (const d of dicts) namedDicts(d, nodes, opening);
  return { ...l, nodes };
}

/** The ledger after `cmd` answered `outcome`; a refused command leaves it as it was. */
export function record(l: Ledger, cmd: QmpCommand, outcome: StepOutcome): Ledger {
  if (outcome.kind !== 'ok') return l;
  const a = argsOf(cmd);
  switch (cmd.execute) {
    case 'blockdev-add':
      return withNodes(l, [a], true);
    case 'blockdev-reopen':
      return withNodes(l, Array.isArray(a['options']) ? (a['options'] as readonly JsonValue[]).filter(isObjectValue) : [], false);
    case 'blockdev-del': {
      const nodes = new Map(l.nodes);
      if (typeof a['node-name'] === 'string') nodes.delete(a['node-name']);
      return { ...l, nodes };
    }
    case 'nbd-server-start':
      return { ...l, nbdServer: true };
    case 'nbd-server-stop':
      return { ...l, nbdServer: false };
    case 'block-export-add': {
      const id = a['id'];
      if (typeof id !== 'string') return l;
      const exports = new Map(l.exports);
      exports.set(id, { node: typeof a['node-name'] === 'string' ? a['node-name'] : '', writable: a['writable'] === true });
      return { ...l, exports };
    }
    case 'block-export-del': {
      const exports = new Map(l.exports);
      if (typeof a['id'] === 'string') exports.delete(a['id']);
      return { ...l, exports };
    }
    case 'object-add': {
      const groups = new Set(l.groups);
      if (a['qom-type'] === 'throttle-group' && typeof a['id'] === 'string') groups.add(a['id']);
      return { ...l, groups };
    }
    case 'object-del': {
      const groups = new Set(l.groups);
      if (typeof a['id'] === 'string') groups.delete(a['id']);
      return { ...l, groups };
    }
    default:
      return l;
  }
}

/** A node's own options: what was given, without its children. */
export function ownOptions(given: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(given).filter(([k]) => !CHILD_KEYS.includes(k.split('.')[0] ?? k)));
}

/** The options given for the child `childName` of a node whose options are `parent`, if they were a dict. */
export function childDict(parent: JsonObject | undefined, childName: string): JsonObject | undefined {
  if (!parent) return undefined;
  const m = /^children\.(\d+)$/.exec(childName);
  if (m) {
    const list = parent['children'];
    const v = Array.isArray(list) ? (list as readonly JsonValue[])[Number(m[1])] : undefined;
    return isObjectValue(v) ? v : undefined;
  }
  const v = parent[childName];
  return isObjectValue(v) ? v : undefined;
}
