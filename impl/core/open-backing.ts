// bdrv_open_backing_file: a reference, a nested dict, null, or what the image header names.
import { parseJsonValue } from '../../qmp/json-stream.ts';
import { isRecord } from '../../qmp/json-value.ts';
import { nodeFilename } from './node-filename.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { attachChild } from './attach.ts';
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { OK, fail, prefixError } from './result.ts';
import type { Result } from './result.ts';
import { COW } from './role.ts';
import type { ChildRole } from './role.ts';
import type { Transaction } from './transaction.ts';
import { hangNow } from './qemu-dies.ts';

type OpenValue = (v: JsonObject | string, role: ChildRole) => Result<BlockNode>;

export function headerBackingOptions(node: BlockNode): JsonObject | undefined {
  if (node.backingFile === undefined) return undefined;
  // a stream or commit base without a plain file name is written as json:{...}, its options (parse_json_filename)
  const json = jsonFilenameOptions(node.backingFile);
  if (json) return { ...json, driver: node.backingFormat ?? json['driver'] ?? 'qcow2' };
  // backing format "file" (a stream or commit base that was a file node): bdrv_fill_options hands the name to
  // the file driver itself, whose raw_parse_filename only strips a "file:" prefix
  if (node.backingFormat === 'file') {
    const name = node.backingFile.startsWith('file:') ? node.backingFile.slice('file:'.length) : node.backingFile;
    return { driver: 'file', filename: name };
  }
  const file = protocolOptions(node.backingFile);
  // a protocol driver named as the format opens the file name itself
  if (file['driver'] !== 'file' && file['driver'] === node.backingFormat) return file;
  return { driver: node.backingFormat ?? 'qcow2', file };
}

/** bdrv_find_protocol and the protocol's parse_filename: "blkdebug:CONFIG:IMAGE", "null-co://", else a file. */
function protocolOptions(name: string): JsonObject {
  if (name === 'null-co://') return { driver: 'null-co' };
  const c = name.startsWith('blkdebug:') ? name.indexOf(':', 'blkdebug:'.length) : -1;
  if (c < 0) return { driver: 'file', filename: name };
  const config = name.slice('blkdebug:'.length, c);
  return { driver: 'blkdebug', ...(config === '' ? {} : { config }), image: protocolOptions(name.slice(c + 1)) };
}

function jsonFilenameOptions(name: string): JsonObject | undefined {
  if (!name.startsWith('json:')) return undefined;
  try {
    // QEMU reads json: names with its own JSON parser
    const v = parseJsonValue(name.slice('json:'.length));
    return v.ok && isRecord(v.value) ? (v.value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Does following header-named backing files from `file` come round to `own` (the opening node's file)? */
function headerLoops(env: BlockEnv, file: string, format: string | undefined, own: string | undefined): boolean {
  const seen = new Set<string>();
  // only a qcow2 level reads a header again: a backing format like "file" or "raw" ends the recursion
  for (let f: string | undefined = file, fmt = format; f !== undefined && (fmt ?? 'qcow2') === 'qcow2'; ) {
    if (f === own) return true;
    if (seen.has(f)) return false;
    seen.add(f);
    const img = env.images.read(f);
    f = img?.header.kind === 'qcow2' ? img.header.backingFile : undefined;
    fmt = img?.header.kind === 'qcow2' ? img.header.backingFormat : undefined;
  }
  return false;
}

export function openBacking(env: BlockEnv, tx: Transaction, node: BlockNode, value: JsonValue | undefined, open: OpenValue): Result<void> {
  if (value === null) return OK;
  // QEMU 7.2 opens a header that names itself (directly or round a loop) again and again, its memory growing, no
  // reply for minutes (measured: 240 s, 9 MB -> 717 MB; 10.0.2 too): a hang; a loop further down is opened first (its
  // first file open may fail, e.g. on a lock), then caught one level deeper
  if (value === undefined && node.backingFile !== undefined && headerLoops(env, node.backingFile, node.backingFormat, node.filename)) {
    // the levels are opened and attached before the recursion runs away, each file once: a lock check may fail first
    const levels = new Set<string>();
    let prefix = 'Could not open backing file: ';
    for (let parent = node; ; prefix += 'Could not open backing file: ') {
      const spec = headerBackingOptions(parent);
      if (spec === undefined) break;
      const child = open({ ...spec, backing: null }, COW);
      const attached = child.ok ? attachChild(env, tx, parent, child.value, 'backing', COW) : child;
      if (!attached.ok) return prefixError(attached, prefix);
      if (!child.ok || child.value.filename === undefined || levels.has(child.value.filename)) break;
      levels.add(child.value.filename);
      parent = child.value;
    }
    hangNow(`block.c bdrv_open_backing_file: the header of '${node.filename ?? node.name}' names itself round a loop, and each level opens it again without end`);
  }
  let spec: JsonObject | string | undefined;
  if (value === undefined) spec = headerBackingOptions(node);
  else if (typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value))) spec = value as JsonObject | string;
  if (spec === undefined) return OK;
  // a dict without file.filename inherits the header's backing file name, which clashes with a file reference
  if (typeof spec === 'object' && value !== undefined && node.backingFile !== undefined && typeof spec['file'] === 'string') {
    return fail('invalid-param', 'Could not open backing file: Cannot reference an existing block device with additional options or a new filename');
  }
  const child = openCounted(env, value === undefined, () => open(spec, COW));
  if (!child.ok) return prefixError(child, 'Could not open backing file: ');
  const e = attachChild(env, tx, node, child.value, 'backing', COW);
  // a backing opened from the header is by definition the one it names (bdrv_open_backing_file's implicit_backing)
  if (e.ok && value === undefined) node.autoBackingFile = nodeFilename(child.value);
  return e.ok ? OK : e;
}

/** Headers that name each other through json: options nest without end; the lock checks of the levels on the way
 * still run first. 7.2 then hangs as for a plain name (measured on 7.2.22: no reply for 16 minutes, 2.6 GB and 7 MB
 * of main stack, until some 20,000 levels used up `ulimit -n` 20000 and it failed "Too many open files"; 10.0.2 hangs
 * in triage too), so the impl stops at a depth and hangs. */
const HEADER_DEPTH_LIMIT = 64;

function openCounted<T>(env: BlockEnv, fromHeader: boolean, open: () => T): T {
  if (!fromHeader) return open();
  const depth = env.headerOpenDepth + 1;
  if (depth > HEADER_DEPTH_LIMIT) {
    hangNow('block.c bdrv_open_backing_file: image headers name each other through json: options, and each level opens the next without end');
  }
  env.headerOpenDepth = depth;
  try {
    return open();
  } finally {
    env.headerOpenDepth = depth - 1;
  }
}
