// bs->filename as bdrv_refresh_filename leaves it: the image file, or json:{...} of the options that matter.
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
  if (n.driver.name === 'file' && n.filename !== undefined) out['filename'] = n.filename;
  // quorum_gather_child_options: one gap-less list, in the order the children were added
  const kids = n.driver.name === 'quorum' ? n.children.filter((e) => e.name.startsWith('children.')) : [];
  if (kids.length > 0) out['children'] = [...kids].sort((a, b) => childIndex(a.name) - childIndex(b.name)).map((e) => fullOpenOptions(e.child));
  for (const e of n.children) if (e.role.kind !== 'cow' && !kids.includes(e)) out[e.name] = fullOpenOptions(e.child);
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

const childIndex = (name: string): number => Number(name.slice('children.'.length));

/** blkverify_refresh_filename: "blkverify:RAW:TEST" when both children have plain file names. */
function blkverifyFilename(n: BlockNode): string | undefined {
  const raw = n.children.find((e) => e.name === 'raw')?.child;
  const test = n.children.find((e) => e.name === 'test')?.child;
  const names = [raw, test].map((c) => (c ? nodeFilename(c) : 'json:'));
  return names.some((f) => f.startsWith('json:')) ? undefined : `blkverify:${names[0] ?? ''}:${names[1] ?? ''}`;
}

/** null_refresh_filename and blkdebug_refresh_filename: "null-co://" and "blkdebug:CONFIG:IMAGE" when nothing else
 * (but latency, or the config file) was given; otherwise they leave no plain name. */
function protocolFilename(n: BlockNode, own: readonly string[]): string | undefined {
  if (n.driver.name === 'null-co') return own.every((k) => k === 'latency-ns') ? 'null-co://' : undefined;
  const image = n.children.find((e) => e.name === 'image')?.child;
  const inner = image ? nodeFilename(image) : 'json:';
  if (!own.every((k) => k === 'config') || inner.startsWith('json:')) return undefined;
  return `blkdebug:${typeof n.options['config'] === 'string' ? n.options['config'] : ''}:${inner}`;
}

export function nodeFilename(n: BlockNode): string {
  if (n.driver.name === 'file' && n.filename !== undefined) return n.filename;
  const verify = n.driver.name === 'blkverify' ? blkverifyFilename(n) : undefined;
  if (verify !== undefined) return verify;
  const own = Object.keys(n.options).filter((k) => !WEAK.includes(k) && k !== 'driver' && k !== 'backing');
  const proto = n.driver.name === 'null-co' || n.driver.name === 'blkdebug' ? protocolFilename(n, own) : undefined;
  if (proto !== undefined) return proto;
  if (n.driver.name === 'null-co' || n.driver.name === 'blkdebug') return `json:${qmpJson(fullOpenOptions(n))}`;
  const child = primaryChild(n);
  if (child && own.length === 0 && !backingOverridden(n) && n.children.filter((e) => e.role.kind !== 'cow').length === 1) return nodeFilename(child);
  return `json:${qmpJson(fullOpenOptions(n))}`;
}
