// bs->filename as bdrv_refresh_filename leaves it: the image file, or json:{...} of the options that matter.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { qmpJson } from '../../qmp/json-text.ts';
import type { BlockNode } from '../core/graph.ts';

/** Options that do not change what the node reads (bdrv_refresh_filename drops them). */
const WEAK = ['node-name', 'read-only', 'auto-read-only', 'force-share', 'cache', 'discard', 'detect-zeroes', 'locking', 'aio'];

function primaryChild(n: BlockNode): BlockNode | undefined {
  const p = n.children.filter((e) => (e.role.kind === 'filtered' || e.role.kind === 'storage') && e.role.primary);
  return p.length === 1 ? p[0]?.child : undefined;
}

/** The strong options of a node and its children (bs->full_open_options). */
export function fullOpenOptions(n: BlockNode): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(n.options)) if (!WEAK.includes(k) && k !== 'driver') out[k] = v;
  out['driver'] = n.driver.name;
  if (n.driver.name === 'file' && n.filename !== undefined) out['filename'] = n.filename;
  for (const e of n.children) if (e.role.kind !== 'cow') out[e.name] = fullOpenOptions(e.child);
  return out;
}

export function nodeFilename(n: BlockNode): string {
  if (n.driver.name === 'file' && n.filename !== undefined) return n.filename;
  const own = Object.keys(n.options).filter((k) => !WEAK.includes(k) && k !== 'driver' && k !== 'backing');
  const child = primaryChild(n);
  if (child && own.length === 0 && n.children.filter((e) => e.role.kind !== 'cow').length === 1) return nodeFilename(child);
  return `json:${qmpJson(fullOpenOptions(n))}`;
}
