// bs->filename as bdrv_refresh_filename leaves it: the image file, or json:{...} of the options that matter. What a
// driver adds (its exact filename, gathered child options) comes from its filename hooks (drivers/driver-filename.ts).
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { qmpJson } from '../../qmp/json-text.ts';
import type { BlockNode } from './graph.ts';

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
  const gathered = n.driver.gatherOptions?.(n, fullOpenOptions);
  if (gathered) Object.assign(out, gathered.options);
  for (const e of n.children) if (e.role.kind !== 'cow' && !gathered?.children.includes(e)) out[e.name] = fullOpenOptions(e.child);
  // an overridden backing is part of what the node reads: its options, or "backing": null
  if (backingOverridden(n)) {
    const cow = n.children.find((e) => e.role.kind === 'cow');
    out[cow?.name ?? 'backing'] = cow ? fullOpenOptions(cow.child) : null;
  }
  return out;
}

/** bdrv_backing_overridden: the backing is not what the image header names (auto_backing_file). */
function backingOverridden(n: BlockNode): boolean {
  if (!n.driver.supportsBacking) return false;
  const cow = n.children.find((e) => e.role.kind === 'cow')?.child;
  return (n.autoBackingFile ?? '') !== (cow ? nodeFilename(cow) : '');
}

/** The node's strong options of its own (not its driver, not its backing). */
export function ownOptions(n: BlockNode): string[] {
  return Object.keys(n.options).filter((k) => !WEAK.includes(k) && k !== 'driver' && k !== 'backing');
}

export function nodeFilename(n: BlockNode): string {
  if (n.driver.exactFilename) return n.driver.exactFilename(n) ?? `json:${qmpJson(fullOpenOptions(n))}`;
  const own = ownOptions(n);
  const child = primaryChild(n);
  if (child && own.length === 0 && !backingOverridden(n) && n.children.filter((e) => e.role.kind !== 'cow').length === 1) return nodeFilename(child);
  return `json:${qmpJson(fullOpenOptions(n))}`;
}
