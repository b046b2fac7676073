// qdict_flatten: nested dicts and lists become dotted keys ("file.filename", "take-child-perms.0");
// empty ones stay as they are, under their own key.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';

export function flatten(obj: JsonObject, prefix = '', out: Map<string, JsonValue> = new Map()): Map<string, JsonValue> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if ((Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) {
      out.set(key, v);
    } else if (Array.isArray(v)) {
      const items = v as readonly JsonValue[];
      flatten(Object.fromEntries(items.map((x, i) => [String(i), x])), `${key}.`, out);
    } else if (typeof v === 'object' && v !== null) {
      flatten(v as JsonObject, `${key}.`, out);
    } else {
      out.set(key, v);
    }
  }
  return out;
}
