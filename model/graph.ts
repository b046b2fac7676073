// Questions about the graph: lookups, children and parents, backing chains, lengths, file names, where bytes go.
import type { JsonObject } from '../qmp/types.ts';
import { DRIVER_FACTS } from './perm-rules.ts';
import { ModelBug, OK, fail, ok, unjudged, type Refusal, type Result } from './result.ts';
import type { Draft } from './draft.ts';
import type { MNode, ModelState, NodeEdge } from './state.ts';

export const str = (o: JsonObject, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
export const num = (o: JsonObject, k: string): number | undefined => {
  const v = o[k];
  // an int64 beyond 2^53 arrives as a bigint (qmp/json/qnum.ts)
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
};
/** id_wellformed: node names, job ids and object ids. */
export const isId = (s: string): boolean => /^[A-Za-z][A-Za-z0-9._-]*$/.test(s);

export const findNode = (s: ModelState, name: string): MNode | undefined => s.nodes.find((x) => x.name === name);
export function node(s: ModelState, name: string): MNode {
  const n = findNode(s, name);
  if (!n) throw new ModelBug(`no node '${name}'`);
  return n;
}

/** bdrv_lookup_bs: qsd has no devices, so only node names resolve. */
export function lookup(s: ModelState, name: string | undefined, device = name): Result<MNode> {
  const n = name === undefined ? undefined : findNode(s, name);
  return n ? ok(n) : fail('not-found', `Cannot find device='${device ?? ''}' nor node-name='${name ?? ''}'`);
}

export const isFilter = (n: MNode): boolean => DRIVER_FACTS[n.driver]?.isFilter === true;
export const childEdges = (s: ModelState, name: string): NodeEdge[] => s.edges.filter((e) => e.parent === name);
export const childEdge = (s: ModelState, name: string, edge: string): NodeEdge | undefined => s.edges.find((e) => e.parent === name && e.name === edge);

/** Every parent: node edges, backends and job edges (bs->parents). */
export const parentCount = (s: ModelState, name: string): number =>
  [s.edges, s.bbs, s.jobEdges].reduce((n, xs: readonly { readonly child: string }[]) => n + xs.filter((e) => e.child === name).length, 0);
/** qmp_get_root_bs: a node whose parents are all BlockBackends. */
export const isRoot = (s: ModelState, name: string): boolean => !s.edges.some((e) => e.child === name) && !s.jobEdges.some((e) => e.child === name);

/** The next link of a backing chain: a filter's filtered child or a format node's COW child. */
export const chainLink = (s: ModelState, name: string): NodeEdge | undefined =>
  childEdges(s, name).find((e) => e.role.kind === 'cow' || (isFilter(node(s, name)) && e.role.kind === 'filtered'));
export const chainNext = (s: ModelState, name: string): string | undefined => chainLink(s, name)?.child;
export const filterChild = (s: ModelState, name: string): string | undefined =>
  isFilter(node(s, name)) ? childEdges(s, name).find((e) => e.role.kind === 'filtered')?.child : undefined;
export const cowChild = (s: ModelState, name: string): string | undefined =>
  isFilter(node(s, name)) ? undefined : childEdges(s, name).find((e) => e.role.kind === 'cow')?.child;

/** Down through filters (those `only` accepts). */
export function skipFilters(s: ModelState, name: string | undefined, only: (n: MNode) => boolean = () => true): string | undefined {
  let cur = name;
  while (cur !== undefined && only(node(s, cur)) && filterChild(s, cur) !== undefined) cur = filterChild(s, cur);
  return cur;
}
export const skipImplicitFilters = (s: ModelState, name: string): string => skipFilters(s, name, (n) => n.implicit) ?? name;
/** bdrv_backing_chain_next: the next non-filter node below. */
export const backingChainNext = (s: ModelState, name: string): string | undefined => {
  const u = skipFilters(s, name);
  return skipFilters(s, u === undefined ? undefined : cowChild(s, u));
};

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
export const reaches = (s: ModelState, from: string, target: string): boolean => from === target || childEdges(s, from).some((e) => reaches(s, e.child, target));

export const sectors = (n: number): number => Math.ceil(n / 512) * 512;
/** What the driver computes from its options and children, in whole sectors (refresh_total_sectors). */
export function driverLength(s: ModelState, name: string): number | undefined {
  const bytes = s.drivers[node(s, name).driver].length(s, node(s, name));
  return bytes === undefined ? undefined : sectors(bytes);
}

/** bdrv_getlength: variable-length drivers ask each time, others keep total_sectors from open or their last truncate. */
export function lengthOf(s: ModelState, name: string): number | undefined {
  const n = node(s, name);
  return s.drivers[n.driver].variableLength ? driverLength(s, name) : n.size;
}

/** The length of the node below `edge` (0 without one). */
export const lengthBelow = (s: ModelState, name: string, edge: string): number | undefined => {
  const c = childEdge(s, name, edge)?.child;
  return c === undefined ? 0 : lengthOf(s, c);
};

/** The lengths of `names`, if the model follows them all. */
export function lengthsOf(s: ModelState, ...names: readonly string[]): Result<number[]> {
  const out = names.map((n) => lengthOf(s, n));
  return out.every((l): l is number => l !== undefined) ? ok(out) : unjudged('image-data');
}

/** The lengths of `names` agree, else `differ`; where the model does not follow one, it allows both outcomes. */
export function lengthsAgree(d: Draft, differ: Refusal, ...names: readonly string[]): Result {
  const lengths = lengthsOf(d, ...names);
  if (!lengths.ok) d.mayFail.push(differ.error);
  return lengths.ok && new Set(lengths.value).size > 1 ? differ : OK;
}

/** The image file a read at offset 0 through `name` reaches (null: other bytes); not judged where not followed. */
export function imageAtZero(s: ModelState, name: string): Result<string | null> {
  const n = node(s, name);
  const read = s.drivers[n.driver].readAtZero?.(n);
  if (read === undefined) return unjudged('image-data');
  const c = read.kind === 'child' ? childEdge(s, name, read.edge)?.child : undefined;
  return read.kind === 'image' ? ok(str(n.opts, 'filename') ?? null) : c === undefined ? ok(null) : imageAtZero(s, c);
}

/** The nodes a write into `name` passes (not backings), and whether it reaches their bytes (a format keeps its own). */
export function writeReach(s: ModelState, name: string, bytes = true): { readonly node: MNode; readonly bytes: boolean }[] {
  const below = childEdges(s, name).filter((e) => e.role.kind !== 'cow');
  return [{ node: node(s, name), bytes }, ...below.flatMap((e) => writeReach(s, e.child, bytes && !s.drivers[node(s, name).driver].format))];
}

/** bdrv_recurse_can_replace: may `replaced` be swapped for a mirror's target without changing what `n` shows? */
export function canReplace(s: ModelState, n: string, replaced: string): boolean {
  const hook = s.drivers[node(s, n).driver].canReplace;
  const f = filterChild(s, n);
  return n === replaced || (hook ? hook(s, node(s, n), replaced) : f !== undefined && canReplace(s, f, replaced));
}
