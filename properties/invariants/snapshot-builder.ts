// Builds hand-made snapshots for tests: nodes, edges and backends by name, with parents lists filled in.
import type { RoleSpec } from '../../model/perm-rules.ts';
import { ALL_PERMS, NO_PERMS } from '../../qmp/perm-set.ts';
import type { Perm, PermSet } from '../../qmp/perm-set.ts';
import { DRIVER_FACTS } from '../../model/perm-rules.ts';
import type { JsonObject } from '../../qmp/types.ts';
import { driverByName } from '../../impl/drivers/registry.ts';
import type { GraphSnapshot, SnapEdge, SnapNode, SnapParent } from '../snapshot.ts';

export const ROLE = {
  filtered: { kind: 'filtered', primary: true },
  cow: { kind: 'cow' },
  image: { kind: 'storage', data: true, metadata: true, primary: true },
  data: { kind: 'storage', data: true, metadata: false, primary: false },
  dataPrimary: { kind: 'storage', data: true, metadata: false, primary: true },
} as const satisfies Record<string, RoleSpec>;

const LETTER: Readonly<Record<string, Perm>> = { R: 'consistent-read', W: 'write', U: 'write-unchanged', S: 'resize' };

/** `'RWS'` → [consistent-read, write, resize]; `'-'` → none; `'ALL'` → all. */
export function perms(s: string): PermSet {
  if (s === 'ALL') return ALL_PERMS;
  if (s === '-') return NO_PERMS;
  const ps = [...s].map((c) => LETTER[c]).filter((p): p is Perm => p !== undefined);
  return ALL_PERMS.filter((p) => ps.includes(p));
}

type NodeOpts = Partial<Omit<SnapNode, 'id' | 'name' | 'driver'>>;

export class SnapshotBuilder {
  private readonly nodes: SnapNode[] = [];
  private readonly edges: SnapEdge[] = [];
  private nextId = 1;

  node(name: string, driver: string, opts: NodeOpts = {}): this {
    const facts = DRIVER_FACTS[driver];
    const impl = driverByName(driver);
    if (!impl) throw new Error(`node: the impl has no driver '${driver}'`);
    this.nodes.push({
      id: this.nextId++,
      name,
      listedAs: name,
      autoNamed: false,
      driver,
      readOnly: false,
      forceShare: false,
      options: { driver, 'node-name': name } satisfies JsonObject,
      state: impl.newState(),
      driverGone: false,
      discard: 'ignore',
      optionsOldestFirst: false,
      size: 1048576,
      filename: null,
      backingFile: null,
      isFilter: facts?.isFilter ?? false,
      isFormat: driver === 'qcow2' || driver === 'raw',
      supportsBacking: facts?.supportsBacking ?? false,
      implicit: false,
      monitorOwned: true,
      closed: false,
      inheritsFrom: null,
      parentEdges: [],
      ...opts,
    });
    return this;
  }

  edge(parent: string, name: string, child: string, role: RoleSpec, perm: string, shared: string): this {
    const p = this.nodes.find((n) => n.name === parent);
    if (!p) throw new Error(`edge: no parent node '${parent}'`);
    return this.add({ kind: 'node', name: parent, id: p.id }, name, child, role, perm, shared);
  }

  /** An anonymous BlockBackend (NBD export) on `child`. */
  backend(child: string, perm: string, shared: string): this {
    return this.add({ kind: 'backend', name: '', id: 1000 + this.nextId++ }, 'root', child, ROLE.filtered, perm, shared);
  }

  build(): GraphSnapshot {
    const nodes = this.nodes.map((n) => ({
      ...n,
      parentEdges: n.parentEdges.length > 0 ? n.parentEdges : this.edges.filter((e) => e.childId === n.id).map((e) => e.key),
    }));
    return { nodes, edges: [...this.edges], exports: [], throttleGroups: [], jobs: [], nbdServerRunning: false };
  }

  private add(parent: SnapParent, name: string, child: string, role: RoleSpec, perm: string, shared: string): this {
    const c = this.nodes.find((n) => n.name === child);
    const key = parent.kind === 'backend' ? `backend:${parent.id}/${name}` : `${parent.kind}:${parent.name}/${name}`;
    this.edges.push({
      key,
      parent,
      declaredParent: parent,
      child,
      childId: c?.id ?? -1,
      name,
      role,
      perm: perms(perm),
      shared: perms(shared),
      frozen: false,
    });
    return this;
  }
}

/** §2.3's observed example (add-01): base(ro) ← mid(ro) ← top with a writable NBD export on top. */
export function chainWithExport(): SnapshotBuilder {
  return new SnapshotBuilder()
    .node('base-file', 'file', { readOnly: true })
    .node('base', 'qcow2', { readOnly: true, options: { driver: 'qcow2', 'node-name': 'base', 'read-only': true } })
    .node('mid-file', 'file', { readOnly: true })
    .node('mid', 'qcow2', { readOnly: true, options: { driver: 'qcow2', 'node-name': 'mid', 'read-only': true } })
    .node('top-file', 'file')
    .node('top', 'qcow2')
    .backend('top', 'RW', 'RWU')
    .edge('top', 'file', 'top-file', ROLE.image, 'RWS', 'RU')
    .edge('top', 'backing', 'mid', ROLE.cow, 'R', 'ALL')
    .edge('mid', 'file', 'mid-file', ROLE.image, 'R', 'RU')
    .edge('mid', 'backing', 'base', ROLE.cow, 'R', 'ALL')
    .edge('base', 'file', 'base-file', ROLE.image, 'R', 'RU');
}
