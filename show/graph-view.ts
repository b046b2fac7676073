// What a step's picture shows: exactly the nodes and edges of its normalized graph, with labels, what changed since
// the step before, and what the finding names.
import type { NormalizedEdge, NormalizedGraph, NormalizedNode } from '../qmp/normalized-graph.ts';
import { driverClass, type NodeClass } from './driver-class.ts';
import { edgeKey, type Marks } from './finding-marks.ts';
import { edgePermText } from './perm-letters.ts';
import type { StepGraph } from './step-trace.ts';

export type ViewKind = NodeClass | 'backend' | 'job';
export type Change = 'same' | 'new' | 'changed';

export interface ViewNode {
  /** Unique within the page: `s3-n2`. */
  readonly id: string;
  /** The canonical name: what the normalized graph calls it. */
  readonly name: string;
  readonly kind: ViewKind;
  /** Label lines under the name: driver, read-only, the node-name QEMU gave it, file, job type. */
  readonly details: readonly string[];
  readonly readOnly: boolean;
  readonly change: Change;
  readonly marked: boolean;
}

export interface ViewEdge {
  readonly id: string;
  readonly parent: string;
  readonly child: string;
  readonly role: string;
  /** `perm/shared` in QEMU's letters. */
  readonly perms: string;
  readonly change: Change;
  readonly marked: boolean;
}

export interface GraphView {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  /** What the step before had and this one has not, in words. */
  readonly removed: readonly string[];
}

const nodeKey = (n: NormalizedNode): string => (n.type === 'block-driver' ? `${String(n.drv)}|${String(n.ro)}` : n.type);
const edgeId = (e: NormalizedEdge): string => edgeKey(e.parent, e.name, e.child);
const permKey = (e: NormalizedEdge): string => `${e.perm.join(',')}/${e['shared-perm'].join(',')}`;

function kindOf(n: NormalizedNode): ViewKind {
  switch (n.type) {
    case 'block-driver':
      return driverClass(String(n.drv));
    case 'block-backend':
      return 'backend';
    case 'block-job':
      return 'job';
  }
}

function detailsOf(n: NormalizedNode, g: StepGraph): string[] {
  const rawNode = g.raw.nodes.find((r) => g.canonical.get(r.id) === n.name);
  const rawName = rawNode?.name ?? '';
  switch (n.type) {
    case 'block-driver': {
      const info = g.details.find((d) => d.nodeName === rawName);
      const lines = [`${String(n.drv)}${n.ro === true ? ' · read-only' : ''}`];
      if (rawName !== '' && rawName !== n.name) lines.push(`node-name ${rawName}`);
      if (info?.file != null && String(n.drv) === 'file') lines.push(info.file);
      return lines;
    }
    case 'block-backend':
      return [rawName === '' ? 'anonymous BlockBackend' : 'BlockBackend'];
    case 'block-job': {
      const job = g.jobs.find((j) => j.id === rawName);
      return [job === undefined ? 'job' : `${job.type} job · ${job.status}`];
    }
  }
}

function changeOf<T>(key: string, now: T, before: ReadonlyMap<string, T> | null, same: (a: T, b: T) => boolean): Change {
  if (before === null) return 'same';
  const b = before.get(key);
  if (b === undefined) return 'new';
  return same(b, now) ? 'same' : 'changed';
}

/** `prefix` makes element ids unique in a page (`s3`); `prev` is the graph the step started from (null: nothing to compare with, nothing is highlighted). */
export function graphView(prefix: string, g: StepGraph, prev: NormalizedGraph | null, marks: Marks): GraphView {
  const before = prev === null ? null : new Map(prev.nodes.map((n) => [n.name, n]));
  const beforeEdges = prev === null ? null : new Map(prev.edges.map((e) => [edgeId(e), e]));
  const nodes = g.normalized.nodes.map((n, i): ViewNode => ({
    id: `${prefix}-n${i}`,
    name: n.name,
    kind: kindOf(n),
    details: detailsOf(n, g),
    readOnly: n.type === 'block-driver' && n.ro === true,
    change: changeOf(n.name, n, before, (a, b) => nodeKey(a) === nodeKey(b)),
    marked: marks.nodes.has(n.name),
  }));
  const edges = g.normalized.edges.map((e, i): ViewEdge => ({
    id: `${prefix}-e${i}`,
    parent: e.parent,
    child: e.child,
    role: e.name,
    perms: edgePermText(e.perm, e['shared-perm']),
    change: changeOf(edgeId(e), e, beforeEdges, (a, b) => permKey(a) === permKey(b)),
    marked: marks.edges.has(edgeId(e)),
  }));
  const nowNodes = new Set(g.normalized.nodes.map((n) => n.name));
  const nowEdges = new Set(g.normalized.edges.map(edgeId));
  const removed = [
    ...(prev?.nodes ?? []).filter((n) => !nowNodes.has(n.name)).map((n) => `node ${n.name}`),
    ...(prev?.edges ?? []).filter((e) => !nowEdges.has(edgeId(e))).map((e) => `edge ${e.parent} -${e.name}-> ${e.child}`),
  ];
  return { nodes, edges, removed };
}
