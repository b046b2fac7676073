// The options of every node a build shows: a named node's from the ledger, a nested one's from the dict its parent
// was given, and what a `json:{…}` filename spells out (QEMU puts a node's non-default options there).
import type { RawBlockGraph } from '../../qmp/normalized-graph.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { childDict, ownOptions } from './ledger.ts';
import type { Ledger } from './ledger.ts';
import { isJsonObject } from '../../qmp/json-value.ts';

/** The options a `json:{…}` filename holds, if it is one. */
export function jsonFilenameOptions(filename: JsonValue | undefined): JsonObject | undefined {
  if (typeof filename !== 'string' || !filename.startsWith('json:')) return undefined;
  try {
    const v: unknown = JSON.parse(filename.slice('json:'.length));
    return isJsonObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Given options per node name (children included as given), found breadth-first from the named nodes: a node
 * nothing names gets the dict under its edge's name in its parent's options.
 */
export function givenOptions(g: RawBlockGraph, ledger: Ledger, when: 'opened' | 'current'): Map<string, JsonObject> {
  const byId = new Map(g.nodes.filter((n) => n.type === 'block-driver').map((n) => [n.id, n.name]));
  const out = new Map<string, JsonObject>();
  const queue: number[] = [];
  for (const [id, name] of byId) {
    const given = ledger.nodes.get(name)?.[when];
    if (given) {
      out.set(name, given);
      queue.push(id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    const parentName = id === undefined ? undefined : byId.get(id);
    if (parentName === undefined) continue;
    for (const e of g.edges.filter((x) => x.parent === id)) {
      const child = byId.get(e.child);
      const dict = childDict(out.get(parentName), e.name);
      if (child === undefined || dict === undefined || out.has(child)) continue;
      out.set(child, dict);
      queue.push(e.child);
    }
  }
  return out;
}

/** A node's own options: as given (minus children), else what its filename spells out, else its driver alone. */
export function ownOptionsOf(given: JsonObject | undefined, driver: string, filename: JsonValue | undefined): JsonObject {
  if (given) return ownOptions(given);
  const spelled = jsonFilenameOptions(filename);
  if (spelled) return ownOptions(spelled);
  // a node opened from an image header (an implicit backing, or the file below it)
  return driver === 'file' && typeof filename === 'string' ? { driver, filename } : { driver };
}

/** Did `parent` open this child itself (from a nested dict, or its image header's backing), so it inherits options? */
function openedUnder(parentGiven: JsonObject | undefined, childName: string): boolean {
  if (!parentGiven) return true;
  if (childDict(parentGiven, childName) !== undefined) return true;
  // a backing file the parent's header names, opened with it; any other child came by reference or was attached later
  return childName === 'backing' && !('backing' in parentGiven);
}

/**
 * force-share per node: a named node's as the ledger fixed it at open; any other's own option, else its opener's
 * (bdrv_inherited_options copies force-share to the children a node opens itself); a node attached by reference
 * inherits nothing.
 */
export function forceShares(g: RawBlockGraph, given: ReadonlyMap<string, JsonObject>, ledger: Ledger): Map<string, boolean> {
  const byId = new Map(g.nodes.filter((n) => n.type === 'block-driver').map((n) => [n.id, n.name]));
  const out = new Map<string, boolean>();
  const resolve = (name: string, id: number, depth: number): boolean => {
    const known = out.get(name) ?? ledger.nodes.get(name)?.forceShare;
    if (known !== undefined) {
      out.set(name, known);
      return known;
    }
    const own = given.get(name)?.['force-share'];
    let fs = typeof own === 'boolean' ? own : false;
    if (typeof own !== 'boolean' && depth < 32) {
      for (const e of g.edges.filter((x) => x.child === id)) {
        const parent = byId.get(e.parent);
        if (parent !== undefined && openedUnder(given.get(parent), e.name) && resolve(parent, e.parent, depth + 1)) fs = true;
      }
    }
    out.set(name, fs);
    return fs;
  };
  for (const [id, name] of byId) resolve(name, id, 0);
  return out;
}
