// The graph view the invariants judge, built from what a build answers (x-debug-query-block-graph,
// query-named-block-nodes, query-jobs, query-block-exports, qom-list /objects) and what it was told (the ledger).
// It has the impl snapshot's shape, so every observed invariant runs on it unchanged.
import { driverByName } from '../../impl/drivers/registry.ts';
import { DRIVER_FACTS } from '../../model/perm-rules.ts';
import { permsNamed } from '../../qmp/perm-set.ts';
import type { RawBlockGraph, RawGraphNode } from '../../qmp/normalized-graph.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { GraphSnapshot, SnapEdge, SnapNode, SnapParent } from '../snapshot.ts';
import type { Ledger } from './ledger.ts';
import { mirrorTopState } from './job-filters.ts';
import { forceShares, givenOptions, ownOptionsOf } from './node-options.ts';
import { roleOf } from './roles.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/**
 * The replies a view is built from; `named` is an error text when the build refused to list its nodes; exports and
 * objects are undefined where the target has no such query (then the ledger says what was added).
 */
export interface BuildReplies {
  readonly graph: RawBlockGraph;
  readonly named: readonly JsonObject[] | { readonly error: string };
  readonly jobs: readonly JsonObject[];
  readonly exports: readonly JsonObject[] | undefined;
  readonly objects: readonly JsonObject[] | undefined;
}

/** Stable small ids per name across a run (x-debug-query-block-graph renumbers on every call). */
export class IdTable {
  private readonly ids = new Map<string, number>();
  of(key: string): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.ids.size + 1;
    this.ids.set(key, id);
    return id;
  }
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Anonymous BlockBackends are named after their children, as normalization does: `bb(a)`, `bb(a)#2`. */
function parentKeys(g: RawBlockGraph): Map<number, string> {
  const out = new Map<number, string>();
  const taken = new Set<string>();
  for (const n of g.nodes) {
    let key = n.type === 'block-backend' && n.name === '' ? `bb(${g.edges.filter((e) => e.parent === n.id).map((e) => g.nodes.find((c) => c.id === e.child)?.name ?? '?').sort().join(',')})` : n.name;
    const base = key;
    for (let k = 2; taken.has(`${n.type}:${key}`); k++) key = `${base}#${k}`;
    taken.add(`${n.type}:${key}`);
    out.set(n.id, key);
  }
  return out;
}

/**
 * drv and ro of each node. A build refuses to list its nodes once a corruption cleared one's driver (`Block device X
 * is ejected`, naming the first only): then they are as last seen, a cleared driver stays cleared, and a node that
 * now has a writer is evidently writable (a stale read-only flag would invent a writer on a read-only node).
 */
function nodeInfo(r: BuildReplies, previous: GraphSnapshot): { info: Map<string, JsonObject>; gone: ReadonlySet<string> } {
  if (!('error' in r.named)) return { info: new Map(r.named.flatMap((n) => (typeof n['node-name'] === 'string' ? [[n['node-name'], n]] : []))), gone: new Set() };
  const written = new Set(r.graph.edges.filter((e) => e.perm.includes('write') || e.perm.includes('write-unchanged')).map((e) => r.graph.nodes.find((n) => n.id === e.child)?.name));
  const info = new Map<string, JsonObject>(previous.nodes.map((n) => [n.name, { drv: n.driver, ro: n.readOnly && !written.has(n.name), ...(n.filename !== null ? { file: n.filename } : {}) }]));
  const named = /Block device (\S+) is ejected/.exec(r.named.error)?.[1];
  return { info, gone: new Set([...previous.nodes.filter((n) => n.driverGone).map((n) => n.name), ...(named ? [named] : [])]) };
}

export function buildView(r: BuildReplies, ledger: Ledger, ids: IdTable, previous: GraphSnapshot): GraphSnapshot {
  const { info, gone } = nodeInfo(r, previous);
  const given = givenOptions(r.graph, ledger, 'current');
  // a role is fixed when the node opens (raw_open reads the window once)
  const opened = givenOptions(r.graph, ledger, 'opened');
  const keyOf = parentKeys(r.graph);
  const byId = new Map<number, RawGraphNode>(r.graph.nodes.map((n) => [n.id, n]));
  const parentOf = (n: RawGraphNode): SnapParent => {
    const name = keyOf.get(n.id) ?? n.name;
    const kind = n.type === 'block-driver' ? 'node' : n.type === 'block-job' ? 'job' : 'backend';
    return { kind, name: kind === 'backend' ? n.name : name, id: ids.of(`${kind}:${name}`) };
  };
  const drivers = r.graph.nodes.filter((n) => n.type === 'block-driver');
  // what the build says, else what it was told (a node it refuses to describe, new since the last view)
  const driverOf = (name: string): string => str(info.get(name)?.['drv']) ?? str(given.get(name)?.['driver']) ?? '?';
  const shares = forceShares(r.graph, given, ledger);
  // an inherited force-share shows in the child's options, as QEMU copies it there (bdrv_inherited_options)
  const optionsOf = new Map(
    drivers.map((n) => {
      const own = ownOptionsOf(given.get(n.name), driverOf(n.name), info.get(n.name)?.['file']);
      return [n.name, shares.get(n.name) === true && own['force-share'] === undefined ? { ...own, 'force-share': true } : own];
    }),
  );
  const used = new Set<string>();
  const edges: SnapEdge[] = r.graph.edges.flatMap((e) => {
    const p = byId.get(e.parent);
    const c = byId.get(e.child);
    if (!p || !c) return [];
    const parent = parentOf(p);
    const base = `${parent.kind}:${keyOf.get(p.id) ?? p.name}/${e.name}`;
    let key = base;
    for (let k = 2; used.has(key); k++) key = `${base}#${k}`;
    used.add(key);
    const siblings = r.graph.edges.filter((x) => x.parent === e.parent).map((x) => x.name);
    const openedWith = ownOptionsOf(opened.get(p.name), driverOf(p.name), info.get(p.name)?.['file']);
    const role = parent.kind === 'node' ? roleOf({ driver: driverOf(p.name), childName: e.name, siblings, options: openedWith }) : { kind: 'none' as const };
    return [{ key, parent, declaredParent: parent, child: c.name, childId: ids.of(`node:${c.name}`), name: e.name, role, perm: permsNamed(e.perm), shared: permsNamed(e['shared-perm']), frozen: false }];
  });
  const nodes: SnapNode[] = drivers.map((n) => nodeOf(n.name, { drv: driverOf(n.name), ...info.get(n.name) }, optionsOf.get(n.name) ?? {}, edges, ids, gone.has(n.name)));
  const withState = nodes.map((n) => (n.driver === 'mirror_top' ? { ...n, state: mirrorTopState(n, { nodes, edges }) } : n.driver === 'blkdebug' ? { ...n, state: blkdebugState(n) } : n));
  return {
    nodes: withState,
    edges,
    exports: r.exports
      ? r.exports.flatMap((x) => (typeof x['id'] === 'string' ? [{ id: x['id'], node: str(x['node-name']) ?? '', writable: ledger.exports.get(x['id'])?.writable === true }] : []))
      : [...ledger.exports].map(([id, x]) => ({ id, node: x.node, writable: x.writable })),
    throttleGroups: throttleGroups(r.objects ?? [...ledger.groups].map((name) => ({ name, type: 'child<throttle-group>' })), withState),
    jobs: r.jobs.flatMap((j) => (typeof j['id'] === 'string' ? [{ id: j['id'], type: str(j['type']) ?? '', status: str(j['status']) ?? '' }] : [])),
    nbdServerRunning: ledger.nbdServer,
  };
}

function nodeOf(name: string, info: JsonObject | undefined, options: JsonObject, edges: readonly SnapEdge[], ids: IdTable, driverGone: boolean): SnapNode {
  const driver = str(info?.['drv']) ?? '?';
  const facts = DRIVER_FACTS[driver];
  const image = isObjectValue(info?.['image']) ? info['image'] : {};
  const size = image['virtual-size'];
  const autoNamed = name.startsWith('#') || name === '';
  return {
    id: ids.of(`node:${name}`),
    name,
    listedAs: name,
    autoNamed,
    driver,
    readOnly: info?.['ro'] === true,
    forceShare: options['force-share'] === true,
    options,
    // what QMP does not show stays at the driver's defaults (mirror_top's mode is read from the job's edges later)
    state: driverByName(driver)?.newState() ?? { driver: 'unknown' },
    driverGone,
    discard: str(options['discard']) ?? 'ignore',
    optionsOldestFirst: false,
    size: typeof size === 'number' ? size : 0,
    filename: driver === 'file' ? (str(info?.['file']) ?? null) : null,
    backingFile: str(image['backing-filename']) ?? null,
    isFilter: facts?.isFilter ?? false,
    isFormat: driver === 'qcow2' || driver === 'raw',
    supportsBacking: facts?.supportsBacking ?? false,
    implicit: autoNamed && (facts?.isFilter ?? false),
    monitorOwned: !autoNamed,
    closed: false,
    inheritsFrom: null,
    parentEdges: edges.filter((e) => e.child === name).map((e) => e.key),
  };
}

/** Throttle groups are QOM objects; a group's users are the throttle nodes naming it. */
function throttleGroups(objects: readonly JsonObject[], nodes: readonly SnapNode[]): GraphSnapshot['throttleGroups'] {
  return objects.flatMap((o) => {
    const id = str(o['name']);
    if (id === undefined || o['type'] !== 'child<throttle-group>') return [];
    return [{ id, users: nodes.filter((n) => n.driver === 'throttle' && n.options['throttle-group'] === id).length }];
  });
}

/** A blkdebug's request alignment is what it was given (QMP shows it nowhere else); the served invariants need it. */
function blkdebugState(n: SnapNode): SnapNode['state'] {
  const align = n.options['align'];
  return { driver: 'blkdebug', align: typeof align === 'number' && align > 0 ? align : 1 };
}
