// Node options as 7.2 keeps them: child references are never stored (semantics §4, I5).
import type { JsonObject } from '../../qmp/types.ts';

/** Keys that name children in some driver's options. */
export const CHILD_OPTION_KEYS: readonly string[] = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];

/** Quirk stale-child-options (before "Remove 'backing': null from bs->{explicit_,}options" and the 4.0 reopen
 * work): references to children (and backing: null) stay in the node's options. */
export function keepChildReferences(args: JsonObject): JsonObject {
  const out: Record<string, JsonObject[string]> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!CHILD_OPTION_KEYS.includes(k) || typeof v === 'string' || v === null) out[k] = v;
  }
  return out;
}

export function nodeOptions(args: JsonObject, staleChildRefs: boolean): JsonObject {
  return staleChildRefs ? keepChildReferences(args) : stripChildOptions(args);
}

export function stripChildOptions(args: JsonObject): JsonObject {
  const out: Record<string, JsonObject[string]> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!CHILD_OPTION_KEYS.includes(k)) out[k] = v;
  }
  return out;
}
