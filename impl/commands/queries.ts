// x-debug-query-block-graph and query-named-block-nodes, in QEMU's reply shapes.
import type { NamedNodeInfo, RawBlockGraph, RawGraphEdge, RawGraphNode } from '../../qmp/normalized-graph.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode, Edge } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { permsForQmp } from '../core/perm.ts';
import { cowBs, filterOrCowBs, skipImplicitFilters } from '../core/chain.ts';
import { nodeFilename } from '../core/node-filename.ts';
import { fail, ok } from '../core/result.ts';
import { segfaultOf } from '../core/segfault.ts';
import { dieNow } from '../core/qemu-dies.ts';
import type { Result } from '../core/result.ts';

/** A concluded stream job keeps its edge to the copy-on-read node it already freed: walking the nodes then
 * dereferences freed memory (SIGSEGV, before the arguments are even looked at). */
export function walkNodes(env: BlockEnv): void {
  const kept = [...env.jobs.values()].some((j) => j.type === 'stream' && j.status === 'concluded' && j.parent.edges.length > 0);
  if (kept) dieNow(segfaultOf('concluded-stream-edge'));
}

function rawEdge(parent: number, e: Edge): RawGraphEdge {
  return { parent, child: e.child.id, name: e.name, perm: permsForQmp(e.perm), 'shared-perm': permsForQmp(e.shared) };
}

/** Backends, then jobs, then nodes: the order bdrv_get_xdbg_block_graph walks them; typed, no reply built. */
export function rawBlockGraph(env: BlockEnv): RawBlockGraph {
  const g = env.graph;
  const nodes: RawGraphNode[] = [];
  const edges: RawGraphEdge[] = [];
  for (const b of g.backends) {
    nodes.push({ id: b.id, type: 'block-backend', name: b.name });
    for (const e of b.edges) edges.push(rawEdge(b.id, e));
  }
  for (const j of g.jobs) {
    nodes.push({ id: j.id, type: 'block-job', name: j.jobId });
    for (const e of j.edges) edges.push(rawEdge(j.id, e));
  }
  for (const n of g.nodes.values()) {
    nodes.push({ id: n.id, type: 'block-driver', name: n.name });
    for (const e of n.children) edges.push(rawEdge(n.id, e));
  }
  return { nodes, edges };
}

/** x-debug-query-block-graph's reply, in QEMU's key order. */
export function queryBlockGraph(env: BlockEnv): JsonObject {
  const g = rawBlockGraph(env);
  return {
    edges: g.edges.map((e) => ({ name: e.name, parent: e.parent, 'shared-perm': [...e['shared-perm']], perm: [...e.perm], child: e.child })),
    nodes: g.nodes.map((n) => ({ name: n.name, type: n.type, id: n.id })),
  };
}

/** Non-flat output nests the filter-or-COW chain as backing-image and counts it (block/qapi.c). */
function backingDepth(n: BlockNode): number {
  const next = filterOrCowBs(n);
  return next ? 1 + backingDepth(skipImplicitFilters(next)) : 0;
}

function imageInfo(n: BlockNode): JsonObject {
  const info: Record<string, JsonValue> = { 'virtual-size': nodeLength(n), filename: nodeFilename(n), format: n.driver.name };
  const clusterSize = n.driver.clusterSize?.(n);
  if (clusterSize !== undefined) info['cluster-size'] = clusterSize;
  if (n.backingFile !== undefined) {
    info['backing-filename-format'] = n.backingFormat ?? 'qcow2';
    info['full-backing-filename'] = n.backingFile;
    info['backing-filename'] = n.backingFile;
  }
  info['dirty-flag'] = false;
  return info;
}

/** bdrv_block_device_info refuses a node whose bs->drv a fatal corruption cleared. */
function ejected(env: BlockEnv): BlockNode | undefined {
  for (const n of env.graph.nodes.values()) if (n.driverGone) return n;
  return undefined;
}

export function queryNamedBlockNodes(env: BlockEnv, flat: boolean): Result<JsonValue[]> {
  const gone = ejected(env);
  if (gone) return fail('io-error', `Block device ${gone.name} is ejected`);
  return ok(namedBlockNodes(env, flat));
}

/** What normalization reads of query-named-block-nodes (newest first, as it lists them), without building the reply;
 * undefined where the query is refused. */
export function namedNodeInfo(env: BlockEnv): NamedNodeInfo[] | undefined {
  if (ejected(env)) return undefined;
  return [...env.graph.nodes.values()].reverse().map((n) => ({ 'node-name': n.name, drv: n.driver.name, ro: n.readOnly }));
}

/** bdrv_named_nodes_list walks the nodes oldest first and prepends each: the reply lists them newest first. */
function namedBlockNodes(env: BlockEnv, flat: boolean): JsonValue[] {
  return [...env.graph.nodes.values()].reverse().map((n) => {
    const info: Record<string, JsonValue> = {
      iops_rd: 0,
      detect_zeroes: String(n.options['detect-zeroes'] ?? 'off'),
      image: imageInfo(n),
      iops_wr: 0,
      ro: n.readOnly,
      'node-name': n.name,
      backing_file_depth: flat ? 0 : backingDepth(n),
      drv: n.driver.name,
      iops: 0,
      bps_wr: 0,
      write_threshold: 0,
    };
    // bdrv_block_device_info names the backing node's filename, not the header's
    const cow = cowBs(n);
    if (cow) info['backing_file'] = nodeFilename(cow);
    Object.assign(info, { encrypted: false, bps: 0, bps_rd: 0, cache: { 'no-flush': false, direct: false, writeback: true }, file: nodeFilename(n) });
    return info;
  });
}
