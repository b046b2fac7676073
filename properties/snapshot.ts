// A plain-data picture of the impl's block graph after a step: what every invariant reads.
import type { BlockEnv } from '../impl/core/block-env.ts';
import type { Edge, Parent } from '../impl/core/graph.ts';
import type { DriverState } from '../impl/drivers/driver-state.ts';
import { nodeLength } from '../impl/core/length.ts';
import type { RoleSpec } from '../model/perm-rules.ts';
import type { PermSet } from '../qmp/perm-set.ts';
import type { JsonObject } from '../qmp/types.ts';

export type SnapParent =
  | { readonly kind: 'node'; readonly name: string; readonly id: number }
  | { readonly kind: 'backend'; readonly name: string; readonly id: number }
  | { readonly kind: 'job'; readonly name: string; readonly id: number };

export interface SnapEdge {
  /** `node:top/file`, `backend:7/root`, `job:m0/source`: unique within one snapshot. */
  readonly key: string;
  /** Who lists this edge among its children. */
  readonly parent: SnapParent;
  /** What the edge itself says its parent is (differs only in a corrupt graph). */
  readonly declaredParent: SnapParent;
  readonly child: string;
  readonly childId: number;
  readonly name: string;
  readonly role: RoleSpec;
  readonly perm: PermSet;
  readonly shared: PermSet;
  readonly frozen: boolean;
}

export interface SnapNode {
  readonly id: number;
  readonly name: string;
  /** The key the graph's node table files it under (equals `name` unless corrupt). */
  readonly listedAs: string;
  readonly autoNamed: boolean;
  readonly driver: string;
  readonly readOnly: boolean;
  readonly forceShare: boolean;
  readonly options: JsonObject;
  /** What the node's driver keeps (impl/drivers/driver-state.ts); a build's node of a driver the impl lacks: nothing known. */
  readonly state: DriverState | { readonly driver: 'unknown' };
  /** A fatal qcow2 corruption cleared the node's driver (bs->drv == NULL). */
  readonly driverGone: boolean;
  /** The discard mode and the old options' order a reopen keeps: what later reopens' checks and errors depend on. */
  readonly discard: string;
  readonly optionsOldestFirst: boolean;
  /** The length QEMU reports (bdrv_getlength: raw and copy-on-read derive it, other nodes keep theirs). */
  readonly size: number;
  readonly filename: string | null;
  readonly backingFile: string | null;
  readonly isFilter: boolean;
  readonly isFormat: boolean;
  readonly supportsBacking: boolean;
  readonly implicit: boolean;
  readonly monitorOwned: boolean;
  readonly closed: boolean;
  readonly inheritsFrom: string | null;
  /** Keys of the edges in the node's parents list, in list order (newest first). */
  readonly parentEdges: readonly string[];
}

export interface GraphSnapshot {
  readonly nodes: readonly SnapNode[];
  readonly edges: readonly SnapEdge[];
  readonly exports: readonly { readonly id: string; readonly node: string; readonly writable: boolean }[];
  readonly throttleGroups: readonly { readonly id: string; readonly users: number }[];
  /** Block jobs as query-jobs shows them (newest first). */
  readonly jobs: readonly { readonly id: string; readonly type: string; readonly status: string }[];
  readonly nbdServerRunning: boolean;
}

function parentOf(p: Parent): SnapParent {
  switch (p.kind) {
    case 'node':
      return { kind: 'node', name: p.node.name, id: p.node.id };
    case 'backend':
      return { kind: 'backend', name: p.backend.name, id: p.backend.id };
    case 'job':
      return { kind: 'job', name: p.job.jobId, id: p.job.id };
  }
}

/** The edge's own parent is the one listing it. */
function ownedBy(p: Parent, owner: SnapParent): boolean {
  switch (p.kind) {
    case 'node':
      return owner.kind === 'node' && p.node.id === owner.id && p.node.name === owner.name;
    case 'backend':
      return owner.kind === 'backend' && p.backend.id === owner.id && p.backend.name === owner.name;
    case 'job':
      return owner.kind === 'job' && p.job.id === owner.id && p.job.jobId === owner.name;
  }
}

function baseKey(p: SnapParent, edgeName: string): string {
  return p.kind === 'backend' ? `backend:${p.id}/${edgeName}` : `${p.kind}:${p.name}/${edgeName}`;
}

export function takeSnapshot(env: BlockEnv): GraphSnapshot {
  const g = env.graph;
  const keys = new Map<Edge, string>();
  const used = new Set<string>();
  const keyOf = (e: Edge, owner: SnapParent): string => {
    const known = keys.get(e);
    if (known !== undefined) return known;
    const base = baseKey(owner, e.name);
    let k = base;
    // a corrupt graph can list two edges under one name; keep both visible
    for (let i = 2; used.has(k); i++) k = `${base}#${i}`;
    used.add(k);
    keys.set(e, k);
    return k;
  };
  const edges: SnapEdge[] = [];
  const addEdges = (owner: SnapParent, list: readonly Edge[]): void => {
    for (const e of list) {
      edges.push({
        key: keyOf(e, owner),
        parent: owner,
        // the owner's picture where the edge names its owner (a sane graph): the same value, one object less an edge
        declaredParent: ownedBy(e.parent, owner) ? owner : parentOf(e.parent),
        child: e.child.name,
        childId: e.child.id,
        name: e.name,
        role: e.role,
        perm: e.perm,
        shared: e.shared,
        frozen: e.frozen,
      });
    }
  };
  for (const b of g.backends) addEdges({ kind: 'backend', name: b.name, id: b.id }, b.edges);
  for (const j of g.jobs) addEdges({ kind: 'job', name: j.jobId, id: j.id }, j.edges);
  for (const n of g.nodes.values()) addEdges({ kind: 'node', name: n.name, id: n.id }, n.children);
  const nodes: SnapNode[] = [...g.nodes.entries()].map(([listedAs, n]) => ({
    id: n.id,
    name: n.name,
    listedAs,
    autoNamed: n.autoNamed,
    driver: n.driver.name,
    readOnly: n.readOnly,
    forceShare: n.forceShare,
    // shared, not copied: the impl replaces a node's options whole (deeply readonly JsonObject), never edits them
    options: n.options,
    state: { ...n.state },
    driverGone: n.driverGone,
    discard: n.discard,
    optionsOldestFirst: n.optionsOldestFirst,
    size: nodeLength(n),
    filename: n.filename ?? null,
    backingFile: n.backingFile ?? null,
    isFilter: n.driver.isFilter,
    isFormat: n.driver.isFormat,
    supportsBacking: n.driver.supportsBacking,
    implicit: n.implicit,
    monitorOwned: n.monitorOwned,
    closed: n.closed,
    inheritsFrom: n.inheritsFrom?.name ?? null,
    // every listed edge has its key by now (a corrupt graph aside): no parent picture to build for it
    parentEdges: n.parents.map((e) => keys.get(e) ?? keyOf(e, parentOf(e.parent))),
  }));
  return {
    nodes,
    edges,
    exports: [...env.exports.values()].map((x) => ({ id: x.id, node: x.nodeName, writable: x.writable })),
    throttleGroups: [...env.throttleGroups.values()].map((t) => ({ id: t.id, users: t.users })),
    jobs: [...env.jobs.values()].map((j) => ({ id: j.id, type: j.type, status: j.status })),
    nbdServerRunning: env.nbdServerRunning,
  };
}

/** A daemon before its first command: images on disk, nothing opened. */
export const EMPTY_SNAPSHOT: GraphSnapshot = Object.freeze({ nodes: [], edges: [], exports: [], throttleGroups: [], jobs: [], nbdServerRunning: false });
