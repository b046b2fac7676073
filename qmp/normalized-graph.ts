// The comparison form of a block graph (../shared/scenario-format.md) and the raw QMP replies it is built from.
import { isObjectValue } from './json-value.ts';
import type { JsonValue } from './types.ts';

/** Node kinds of x-debug-query-block-graph (QAPI XDbgBlockGraphNodeType in QEMU 7.2). */
export type BlockGraphNodeType = 'block-backend' | 'block-job' | 'block-driver';

/** One node of x-debug-query-block-graph's `return`. */
export interface RawGraphNode {
  readonly id: number;
  readonly type: BlockGraphNodeType;
  readonly name: string;
}

/** One edge of x-debug-query-block-graph's `return`. */
export interface RawGraphEdge {
  readonly parent: number;
  readonly child: number;
  readonly name: string;
  readonly perm: readonly string[];
  readonly 'shared-perm': readonly string[];
}

export interface RawBlockGraph {
  readonly nodes: readonly RawGraphNode[];
  readonly edges: readonly RawGraphEdge[];
}

/** The fields of one query-named-block-nodes entry that normalization reads. */
export interface NamedNodeInfo {
  readonly 'node-name': string;
  readonly drv: JsonValue;
  readonly ro: JsonValue;
}

/** Key order is part of the format: name, type, then drv and ro on block-driver nodes only. */
export type NormalizedNode =
  | { readonly name: string; readonly type: 'block-driver'; readonly drv: JsonValue; readonly ro: JsonValue }
  | { readonly name: string; readonly type: 'block-backend' | 'block-job' };

/** Key order is part of the format: parent, name, child, perm, shared-perm. */
export interface NormalizedEdge {
  readonly parent: string;
  readonly name: string;
  readonly child: string;
  readonly perm: readonly string[];
  readonly 'shared-perm': readonly string[];
}

export interface NormalizedGraph {
  readonly nodes: readonly NormalizedNode[];
  readonly edges: readonly NormalizedEdge[];
}

export type ParseReplyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const NODE_TYPES: readonly BlockGraphNodeType[] = ['block-backend', 'block-job', 'block-driver'];

function isNodeType(t: unknown): t is BlockGraphNodeType {
  return NODE_TYPES.some((x) => x === t);
}

/** Checks the `return` of x-debug-query-block-graph. */
export function parseBlockGraph(v: JsonValue | undefined): ParseReplyResult<RawBlockGraph> {
  const fail = (message: string): ParseReplyResult<RawBlockGraph> => ({ ok: false, message: `x-debug-query-block-graph: ${message}` });
  if (!isObjectValue(v) || !isList(v['nodes']) || !isList(v['edges'])) return fail('expected {nodes: [...], edges: [...]}');
  const nodes: RawGraphNode[] = [];
  for (const [i, n] of v['nodes'].entries()) {
    if (!isObjectValue(n)) return fail(`nodes[${i}]: expected an object`);
    const { id, type, name } = n;
    if (typeof id !== 'number' || typeof name !== 'string' || !isNodeType(type)) {
      return fail(`nodes[${i}]: expected {id: number, type: ${NODE_TYPES.join('|')}, name: string}`);
    }
    nodes.push({ id, type, name });
  }
  const edges: RawGraphEdge[] = [];
  for (const [i, e] of v['edges'].entries()) {
    if (!isObjectValue(e)) return fail(`edges[${i}]: expected an object`);
    const { parent, child, name, perm } = e;
    const shared = e['shared-perm'];
    if (typeof parent !== 'number' || typeof child !== 'number' || typeof name !== 'string' || !isStrings(perm) || !isStrings(shared)) {
      return fail(`edges[${i}]: expected {parent: number, child: number, name: string, perm: string[], shared-perm: string[]}`);
    }
    // qmprun.py would die on a dangling edge (KeyError), so reject it here instead
    if (!nodes.some((n) => n.id === parent) || !nodes.some((n) => n.id === child)) return fail(`edges[${i}]: unknown node id`);
    edges.push({ parent, child, name, perm, 'shared-perm': shared });
  }
  return { ok: true, value: { nodes, edges } };
}

/** Checks the `return` of query-named-block-nodes; entries without a string node-name are skipped. */
export function parseNamedNodes(v: JsonValue | undefined): ParseReplyResult<NamedNodeInfo[]> {
  if (v === undefined) return { ok: true, value: [] };
  if (!isList(v)) return { ok: false, message: 'query-named-block-nodes: expected a list' };
  const out: NamedNodeInfo[] = [];
  for (const n of v) {
    if (!isObjectValue(n)) continue;
    const name = n['node-name'];
    if (typeof name === 'string') out.push({ 'node-name': name, drv: n['drv'] ?? null, ro: n['ro'] ?? null });
  }
  return { ok: true, value: out };
}

function isList(v: JsonValue | undefined): v is readonly JsonValue[] {
  return Array.isArray(v);
}

function isStrings(v: JsonValue | undefined): v is readonly string[] {
  return isList(v) && v.every((x) => typeof x === 'string');
}
