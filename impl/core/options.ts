// Node options as 7.2 keeps them: child references are never stored (semantics §4, I5).
import type { JsonObject } from '../../qmp/types.ts';

/** Keys that name children in some driver's options. */
export const CHILD_OPTION_KEYS: readonly string[] = ['file', 'backing', 'image', 'raw', 'test', 'children', 'data-file'];

export function stripChildOptions(args: JsonObject): JsonObject {
  const out: Record<string, JsonObject[string]> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!CHILD_OPTION_KEYS.includes(k)) out[k] = v;
  }
  return out;
}
