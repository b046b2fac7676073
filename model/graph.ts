// Questions about the graph: lookups, children and parents, backing chains, derived sizes and file names.
import { wireJson } from '../qmp/json/wire-text.ts';
import type { JsonObject, JsonValue } from '../qmp/types.ts';
import { DRIVER_FACTS } from './perm-rules.ts';
import { ModelBug, fail, ok } from './result.ts';
import type { Result } from './result.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

export const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (o: JsonObject, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
/** id_wellformed: node names, job ids and object ids. */
export const isId = (s: string): boolean => /^[A-Za-z][A-Za-z0-9._-]*$/.test(s);
export const num = (o: JsonObject, k: string): number | undefined => {
  const v = o[k];
  // an int64 beyond 2^53 arrives as a bigint (qmp/json/qnum.ts)
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
};

export function node(s: ModelState, name: string): MNode {
  const n = s.nodes.find((x) => x.name === name);
  if (!n) throw new ModelBug(`no node '${name}'`);
  return n;
}

export const findNode = (s: ModelState, name: string): MNode | undefined => s.nodes.find((x) => x.name === name);

/** bdrv_lookup_bs: qsd has no devices, so only node names resolve. */
export function lookup(s: ModelState, name: string | undefined, device = name): Result<MNode> {
  const n = name === undefined ? undefined : findNode(s, name);
  return n ? ok(n) : fail('not-found', `Cannot find device='${device ?? ''}' nor node-name='${name ?? ''}'`);
}

export const isFilter = (driver: string): boolean => DRIVER_FACTS[driver]?.isFilter === true;
export const childEdges = (s: ModelState, name: string): NodeEdge[] => s.edges.filter((e) => e.parent === name);
export const childEdge = (s: ModelState, name: string, edge: string): NodeEdge | undefined => s.edges.find((e) => e.parent === name && e.name === edge);

/** Every parent: node edges, backends and job edges (bs->parents). */
export function parentCount(s: ModelState, name: string): number {
  const n = (xs: readonly { readonly child: string }[]): number => xs.filter((e) => e.child === name).length;
  return n(s.edges) + n(s.bbs) + n(s.jobEdges);
}

/** qmp_get_root_bs: a node whose parents are all BlockBackends. */
export const isRoot = (s: ModelState, name: string): boolean => !s.edges.some((e) => e.child === name) && !s.jobEdges.some((e) => e.child === name);

/** The next link of a backing chain: a filter's filtered child or a format node's COW child. */
export function chainLink(s: ModelState, name: string): NodeEdge | undefined {
  const f = isFilter(node(s, name).driver);
  return childEdges(s, name).find((e) => e.role.kind === 'cow' || (f && e.role.kind === 'filtered'));
}

export const chainNext = (s: ModelState, name: string): string | undefined => chainLink(s, name)?.child;
export const filterChild = (s: ModelState, name: string): string | undefined =>
  isFilter(node(s, name).driver) ? childEdges(s, name).find((e) => e.role.kind === 'filtered')?.child : undefined;
export const cowChild = (s: ModelState, name: string): string | undefined =>
  isFilter(node(s, name).driver) ? undefined : childEdges(s, name).find((e) => e.role.kind === 'cow')?.child;

/** Where raw (its `file`, at any offset) or a filter (its filtered child) hands a request on. */
export const passThroughChild = (s: ModelState, name: string): string | undefined =>
  node(s, name).driver === 'raw' ? childEdge(s, name, 'file')?.child : filterChild(s, name);

export function skipFilters(s: ModelState, name: string | undefined): string | undefined {
  let cur = name;
  while (cur !== undefined && filterChild(s, cur) !== undefined) cur = filterChild(s, cur);
  return cur;
}

export function skipImplicitFilters(s: ModelState, name: string): string {
  let cur = name;
  while (node(s, cur).implicit && filterChild(s, cur) !== undefined) cur = filterChild(s, cur) ?? cur;
  return cur;
}

/** bdrv_backing_chain_next: the next non-filter node below. */
export function backingChainNext(s: ModelState, name: string): string | undefined {
  const u = skipFilters(s, name);
  return skipFilters(s, u === undefined ? undefined : cowChild(s, u));
}

/** Is `base` on the chain from `top` (or equal)? */
export function chainContains(s: ModelState, top: string, base: string): boolean {
  for (let cur: string | undefined = top; cur !== undefined; cur = chainNext(s, cur)) if (cur === base) return true;
  return false;
}

/** bdrv_find_overlay: the non-filter node whose next chain node is `base` (undefined: the bottom). */
export function findOverlay(s: ModelState, active: string, base: string | undefined): string | undefined {
  const target = skipFilters(s, base);
  for (let cur = skipFilters(s, active); cur !== undefined; ) {
    const next = backingChainNext(s, cur);
    if (next === target) return cur;
    cur = next;
  }
  return undefined;
}

/** Is `target` reachable from `from` through child edges (or equal)? */
export function reaches(s: ModelState, from: string, target: string): boolean {
  return from === target || childEdges(s, from).some((e) => reaches(s, e.child, target));
}

/** Options that do not change what a node reads (bdrv_refresh_filename leaves them out). */
const WEAK = ['driver', 'node-name', 'read-only', 'auto-read-only', 'force-share', 'cache', 'discard', 'detect-zeroes', 'locking', 'aio'];

/** bs->filename: file nodes name their image, qcow2 the image whose header it read, raw its file child's; null-co
 * and blkdebug given nothing else (but latency, or a config file) "null-co://" and "blkdebug:CONFIG:IMAGE". */
export function filenameOf(s: ModelState, name: string): string | undefined {
  const n = node(s, name);
  if (n.driver === 'file') return str(n.opts, 'filename');
  if (n.driver === 'qcow2') return n.image;
  const strong = Object.keys(n.opts).filter((k) => !WEAK.includes(k));
  if (n.driver === 'null-co') return strong.every((k) => k === 'latency-ns') ? 'null-co://' : undefined;
  const image = n.driver === 'blkdebug' ? childEdge(s, name, 'image')?.child : undefined;
  const inner = image === undefined ? undefined : filenameOf(s, image);
  if (inner !== undefined) return strong.every((k) => k === 'config') ? `blkdebug:${str(n.opts, 'config') ?? ''}:${inner}` : undefined;
  const file = n.driver === 'raw' ? childEdge(s, name, 'file')?.child : undefined;
  return file === undefined ? undefined : filenameOf(s, file);
}

/** The image whose first bytes a read through `name` returns (null: zeros or other data; undefined: a quorum vote
 * without a winner): raw at offset 0 and filters pass it on, blkverify returns `test`'s, a qcow2 its backing's. */
export function imageBelow(s: ModelState, name: string): string | null | undefined {
  const n = node(s, name);
  const via = (c: string | undefined): string | null | undefined => (c === undefined ? null : imageBelow(s, c));
  if (n.driver === 'file') return str(n.opts, 'filename') ?? null;
  if (n.driver === 'raw') return (num(n.opts, 'offset') ?? 0) === 0 ? via(childEdge(s, name, 'file')?.child) : null;
  if (n.driver === 'qcow2') return via(childEdge(s, name, 'backing')?.child);
  if (n.driver === 'blkverify') return via(childEdge(s, name, 'test')?.child);
  if (n.driver !== 'quorum') return via(filterChild(s, name));
  const kids = childEdges(s, name).filter((e) => e.name.startsWith('children.')).sort((a, b) => index(a.name) - index(b.name)).map((e) => imageBelow(s, e.child));
  if (n.opts['read-pattern'] === 'fifo') return kids[0] ?? null;
  // images with equal headers read the same; each new version goes to the head of the list, the first with most votes wins
  const version = (f: string | null): string => (f === null || s.images[f]?.format !== 'qcow2' ? '' : wireJson({ ...s.images[f], length: 0 }));
  const versions: { readonly image: string | null; votes: number }[] = [];
  for (const k of kids) {
    const v = versions.find((x) => k !== undefined && version(x.image) === version(k));
    if (v) v.votes++;
    else if (k !== undefined) versions.unshift({ image: k, votes: 1 });
  }
  const winner = versions.reduce<(typeof versions)[number] | undefined>((w, v) => (v.votes > (w?.votes ?? 0) ? v : w), undefined);
  return winner !== undefined && winner.votes >= (num(n.opts, 'vote-threshold') ?? 1) ? winner.image : undefined;
}

const index = (edge: string): number => Number(edge.slice('children.'.length));

/** bdrv_co_block_status: files and quorum hold data, null-co only with read-zeroes; raw and filters ask their child. */
function allocated(s: ModelState, name: string): boolean {
  const n = node(s, name);
  if (n.driver === 'file' || n.driver === 'quorum') return true;
  if (n.driver === 'null-co') return n.opts['read-zeroes'] === true;
  const c = passThroughChild(s, name);
  return c !== undefined && allocated(s, c);
}

/** A job copying from `from` reads only if something down to `last` (undefined: the chain's end) is allocated, or
 * `everything` is dirty. */
export function copies(s: ModelState, from: string | undefined, last: string | undefined, everything = false): boolean {
  let copy = everything;
  for (let n = from; n !== undefined && !copy; n = n === last ? undefined : chainNext(s, n)) copy = allocated(s, n);
  return copy;
}

/** How far a copy's first chunk reaches: each layer down to the first allocated one clips it at its end. */
export function copyExtent(s: ModelState, from: string | undefined, last: string | undefined, chunk: number): number {
  let extent = chunk;
  for (let n = from; n !== undefined; n = n === last ? undefined : chainNext(s, n)) {
    extent = Math.min(extent, lengthOf(s, n));
    if (allocated(s, n)) break;
  }
  return extent;
}

/** The read fails (EIO) where a quorum vote has no winner. */
export const copyFails = (s: ModelState, from: string | undefined): boolean => from !== undefined && imageBelow(s, from) === undefined;

/** drv->bdrv_getlength: what a driver computes from its options and children (at open, at truncate, and for raw and
 * copy-on-read at every query), in whole sectors as refresh_total_sectors keeps it; file and qcow2 have only what
 * they read from the image. */
export function driverLength(s: ModelState, name: string): number {
  return Math.ceil(driverBytes(s, name) / 512) * 512;
}

function driverBytes(s: ModelState, name: string): number {
  const n = node(s, name);
  const below = (edge: string): number => {
    const c = childEdge(s, name, edge)?.child;
    return c === undefined ? 0 : lengthOf(s, c);
  };
  switch (n.driver) {
    case 'null-co':
      return num(n.opts, 'size') ?? 1 << 30;
    case 'raw': {
      // raw_getlength: nothing past a file shorter than the offset, a fixed size no more than the file holds
      const room = Math.max(0, below('file') - (num(n.opts, 'offset') ?? 0));
      return Math.min(num(n.opts, 'size') ?? room, room);
    }
    case 'blkverify':
      return below('test');
    case 'quorum':
      return below('children.0');
    default: {
      const f = filterChild(s, name);
      return f === undefined ? n.size ?? 0 : lengthOf(s, f);
    }
  }
}

/** bdrv_getlength: raw and copy-on-read (has_variable_length) ask their driver every time; every other node keeps
 * what it computed at open or at its last truncate (total_sectors), whatever happened below it since. */
export function lengthOf(s: ModelState, name: string): number {
  const n = node(s, name);
  return n.size === undefined || n.driver === 'raw' || n.driver === 'copy-on-read' ? driverLength(s, name) : n.size;
}

/** bs->filename where there is no plain one: json:{...} of the strong options and the children's (non-COW) own. */
export function headerName(s: ModelState, name: string): string {
  const plain = filenameOf(s, name);
  if (plain !== undefined && !backingOverridden(s, name)) return plain;
  const opts = (n: string): JsonObject => {
    const out: Record<string, JsonValue> = Object.fromEntries(Object.entries(node(s, n).opts).filter(([k]) => !WEAK.includes(k)));
    out['driver'] = node(s, n).driver;
    const kids = childEdges(s, n).filter((e) => e.role.kind !== 'cow');
    const listed = kids.filter((e) => e.name.startsWith('children.')).sort((a, b) => index(a.name) - index(b.name));
    if (listed.length > 0) out['children'] = listed.map((e) => opts(e.child));
    for (const e of kids) if (!listed.includes(e)) out[e.name] = opts(e.child);
    // an overridden backing is part of what the node reads: its options, or "backing": null
    if (backingOverridden(s, n)) {
      const cow = childEdge(s, n, 'backing')?.child;
      out['backing'] = cow === undefined ? null : opts(cow);
    }
    return out;
  };
  return `json:${wireJson(opts(name))}`;
}

/** bdrv_backing_overridden: a qcow2's backing is not the one its header names (bs->auto_backing_file). */
function backingOverridden(s: ModelState, name: string): boolean {
  const n = node(s, name);
  if (n.driver !== 'qcow2') return false;
  const cow = childEdge(s, name, 'backing')?.child;
  return (n.autoBacking ?? '') !== (cow === undefined ? '' : headerName(s, cow));
}

/** bdrv_find_backing_image: a non-filter node below `start` whose file name is `filename` (deprecated arguments). */
export function findByFilename(s: ModelState, start: string, filename: string): string | undefined {
  for (let n = chainNext(s, start); n !== undefined; n = chainNext(s, n)) if (skipFilters(s, n) === n && filenameOf(s, n) === filename) return n;
  return undefined;
}
