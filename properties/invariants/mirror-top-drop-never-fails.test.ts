import { describe, expect, it } from 'vitest';
import { newBlockEnv } from '../../impl/core/block-env.ts';
import type { BlockEnv } from '../../impl/core/block-env.ts';
import { filterPerms } from '../../impl/core/default-perms.ts';
import type { Backend, BlockNode, JobParent, Parent } from '../../impl/core/graph.ts';
import { attachEdge } from '../../impl/core/graph-edit.ts';
import { ALL_PERMS, NO_PERMS, intersect, permSet, RW, RWU } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { OK } from '../../impl/core/result.ts';
import { FILTERED_PRIMARY } from '../../impl/core/role.ts';
import { Transaction } from '../../impl/core/transaction.ts';
import type { Driver } from '../../impl/drivers/driver.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { BlockLayer } from '../../impl/block-layer.ts';
import { takeSnapshot } from '../snapshot.ts';
import { mirrorTopDropNeverFails } from './mirror-top-drop-never-fails.ts';

// two-line test doubles, as in QEMU's tests/unit/test-bdrv-graph-mod.c
const leaf: Driver = { name: 'null-co', isFilter: false, isFormat: false, supportsBacking: false, isProtocol: false, schema: [], newState: () => ({ driver: 'null-co' }), open: () => OK };
const mirrorTop: Driver = {
  ...leaf,
  name: 'mirror_top',
  isFilter: true,
  newState: () => ({ driver: 'mirror_top', stop: false, isCommit: false, loosePerms: false }),
  childPerm: filterPerms,
};
/** mirror_top before QEMU 6.0 (53431b9086b2): took only W and shared everything (semantics §5.2 b). */
const oldMirrorTop: Driver = { ...mirrorTop, childPerm: (ctx) => ({ perm: intersect(ctx.perm, permSet('write')), shared: ALL_PERMS }) };

function node(env: BlockEnv, name: string, driver: Driver): BlockNode {
  const n: BlockNode = {
    id: env.graph.nextId++, name, autoNamed: false,
      autoBackingFile: undefined, driver, readOnly: false, options: { driver: driver.name }, children: [], parents: [],
    monitorOwned: true, inheritsFrom: null, forceShare: false, size: 1048576, filename: undefined, backingFile: undefined,
    backingFormat: undefined, locked: { perm: NO_PERMS, shared: ALL_PERMS }, state: driver.newState(), driverGone: false,
    discard: 'ignore', optionsOldestFirst: false, blockedFor: undefined, implicit: false, closed: false,
  };
  env.graph.nodes.set(name, n);
  return n;
}

function link(env: BlockEnv, parent: Parent, child: BlockNode, name: string, perm: PermSet, shared: PermSet): void {
  const tx = new Transaction();
  attachEdge(env, tx, parent, child, name, FILTERED_PRIMARY, perm, shared);
  tx.commit();
}

/** src under a mirror_top that an export uses, with the mirror job's edges (semantics §2.4). */
function mirroring(top: Driver): { env: BlockEnv; src: BlockNode; mt: BlockNode } {
  const env = newBlockEnv(new MemoryImageStore());
  const src = node(env, 'src', leaf);
  const mt = node(env, 'mt', top);
  const export0: Backend = { id: env.graph.nextId++, name: '', edges: [] };
  env.graph.backends.push(export0);
  const job: JobParent = { id: env.graph.nextId++, jobId: 'm', type: 'mirror', edges: [] };
  env.graph.jobs.push(job);
  link(env, { kind: 'backend', backend: export0 }, mt, 'root', RW, RWU);
  link(env, { kind: 'job', job }, mt, 'main node', permSet('consistent-read'), RWU);
  const p = top.childPerm?.({ node: mt, childName: 'backing', role: FILTERED_PRIMARY, perm: RW, shared: RWU, writable: true }) ?? { perm: RW, shared: RWU };
  link(env, { kind: 'node', node: mt }, src, 'backing', p.perm, p.shared);
  link(env, { kind: 'job', job }, src, 'source', NO_PERMS, RWU);
  return { env, src, mt };
}

const check = (env: BlockEnv) => (mirrorTopDropNeverFails.kind === 'live' ? mirrorTopDropNeverFails.check(env) : []);

describe('mirror-top-drop-never-fails', () => {
  it('holds for 7.2 mirror_top, and the speculative drop leaves the graph exactly as it was', () => {
    const { env } = mirroring(mirrorTop);
    const before = JSON.stringify(takeSnapshot(env));
    expect(check(env)).toEqual([]);
    expect(JSON.stringify(takeSnapshot(env))).toBe(before);
  });

  it('fails for the pre-6.0 mirror_top once another parent took what the export unshares', () => {
    const { env, src } = mirroring(oldMirrorTop);
    const evil = node(env, 'evil', leaf);
    link(env, { kind: 'node', node: evil }, src, 'file', permSet('resize'), ALL_PERMS);
    const before = JSON.stringify(takeSnapshot(env));
    const v = check(env);
    expect(v).toHaveLength(1);
    expect(v[0]?.message).toMatch(/^dropping mirror_top 'mt' would fail: Permission conflict on node 'src': permissions 'resize'/);
    expect(JSON.stringify(takeSnapshot(env))).toBe(before);
  });

  it('releases the job target BlockBackend first, as mirror_exit_common does (active commit, a parent on mirror_top)', () => {
    const layer = new BlockLayer(
      MemoryImageStore.fromSpecs([
        { filename: 'b.qcow2', format: 'qcow2', size: 65536 },
        { filename: 't.qcow2', format: 'qcow2', size: 65536, backing: 'b.qcow2' },
      ]),
    );
    layer.execute('blockdev-add', { driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } });
    layer.execute('block-commit', { 'job-id': 'j0', device: 't', 'filter-node-name': 'mt' });
    layer.execute('blockdev-add', { driver: 'quorum', 'node-name': 'q', children: ['mt'], 'vote-threshold': 1 });
    expect(layer.env.graph.nodes.get('mt')?.driver.name).toBe('mirror_top');
    expect(check(layer.env)).toEqual([]);
  });

  it('has nothing to check without mirror_top nodes', () => {
    const env = newBlockEnv(new MemoryImageStore());
    node(env, 'a', leaf);
    expect(check(env)).toEqual([]);
  });
});
