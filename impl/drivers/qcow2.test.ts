// qcow2's child perms (semantics §2.3): file = STORAGE(DATA+METADATA), backing = COW.
import { describe, expect, it } from 'vitest';
import { BlockLayer } from '../block-layer.ts';
import { defaultPerms } from '../core/default-perms.ts';
import { ALL_PERMS, permSet, R, RU, RWS } from '../../qmp/perm-set.ts';
import type { Perm, PermSet } from '../../qmp/perm-set.ts';
import { COW, IMAGE } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { qcow2 } from './qcow2.ts';
import { SUBSETS, node, qmp, queriedEdge, run } from './test-support.ts';

const MiB = 1024 * 1024;

function layer(): BlockLayer {
  const l = new BlockLayer(
    MemoryImageStore.fromSpecs([
      { filename: 'base.qcow2', format: 'qcow2', size: MiB },
      { filename: 'top.qcow2', format: 'qcow2', size: MiB, backing: 'base.qcow2' },
    ]),
  );
  run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'base', 'read-only': true, file: { driver: 'file', 'node-name': 'base-file', filename: 'base.qcow2' } });
  run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'top', backing: 'base', file: { driver: 'file', 'node-name': 'top-file', filename: 'top.qcow2' } });
  return l;
}

const exportNode = (l: BlockLayer, id: string, nodeName: string, writable: boolean): void => {
  if (!l.env.nbdServerRunning) run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
  run(l, 'block-export-add', { type: 'nbd', id, 'node-name': nodeName, writable });
};

describe('qcow2 child perms: the table, for every parent P/Sh', () => {
  const rule = qcow2.childPerm ?? defaultPerms;
  const has = (s: PermSet, p: Perm) => s.includes(p);

  it('file: P ∪ R ∪ (W S if writable) ∪ (W if P∋U) ∪ (S if W); shared Sh − W − S', () => {
    const l = layer();
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const want = new Set<Perm>([...perm, 'consistent-read']);
          if (writable) ['write', 'resize'].forEach((p) => want.add(p as Perm));
          if (has(perm, 'write-unchanged')) want.add('write');
          if (want.has('write')) want.add('resize');
          const got = rule({ node: node(l, 'top'), childName: 'file', role: IMAGE, perm, shared, writable });
          expect(new Set(got.perm)).toEqual(want);
          expect(got.shared).toEqual(shared.filter((p) => p !== 'write' && p !== 'resize'));
        }
      }
    }
  });

  it('backing: P ∩ R; shares R U, plus W S when the parents share W', () => {
    const l = layer();
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          const got = rule({ node: node(l, 'top'), childName: 'backing', role: COW, perm, shared, writable });
          expect(got.perm).toEqual(has(perm, 'consistent-read') ? R : permSet());
          expect(got.shared).toEqual(has(shared, 'write') ? ALL_PERMS : RU);
        }
      }
    }
  });
});

describe('qcow2 child perms in the graph', () => {
  it('without parents: a writable node takes W S on its file for metadata, a read-only one only R', () => {
    const l = layer();
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(RWS, RU));
    expect(queriedEdge(l, 'base', 'file')).toEqual(qmp(R, RU));
    expect(queriedEdge(l, 'top', 'backing')).toEqual(qmp(permSet(), ALL_PERMS));
  });

  it('add-01 shape: writable export on top', () => {
    const l = layer();
    exportNode(l, 'e', 'top', true);
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(RWS, RU));
    expect(queriedEdge(l, 'top', 'backing')).toEqual(qmp(R, ALL_PERMS));
    expect(queriedEdge(l, 'base', 'file')).toEqual(qmp(R, RU));
  });

  it('a read-only export on a read-only top: file [R/RU], backing [R/ALL]', () => {
    const l = layer();
    run(l, 'blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', 'read-only': true, backing: 'base', file: 'top-file' }] });
    exportNode(l, 'e', 'top', false);
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(R, RU));
    expect(queriedEdge(l, 'top', 'backing')).toEqual(qmp(R, ALL_PERMS));
  });

  it('a parent that unshares write makes the backing edge stop sharing W S', () => {
    const l = layer();
    run(l, 'blockdev-add', { driver: 'blkdebug', 'node-name': 'dbg', image: 'top', 'unshare-child-perms': ['write'] });
    expect(queriedEdge(l, 'top', 'backing')).toEqual(qmp(permSet(), RU));
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(RWS, RU));
  });

  it('a reopen to read-only drops W S from the file edge, and back again', () => {
    const l = layer();
    const reopen = (ro: boolean) =>
      run(l, 'blockdev-reopen', { options: [{ driver: 'qcow2', 'node-name': 'top', 'read-only': ro, backing: 'base', file: 'top-file' }] });
    reopen(true);
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(R, RU));
    reopen(false);
    expect(queriedEdge(l, 'top', 'file')).toEqual(qmp(RWS, RU));
  });

  it('the implicitly opened backing chain follows the same rules (read-only by default)', () => {
    const l = new BlockLayer(
      MemoryImageStore.fromSpecs([
        { filename: 'base.qcow2', format: 'qcow2', size: MiB },
        { filename: 'top.qcow2', format: 'qcow2', size: MiB, backing: 'base.qcow2' },
      ]),
    );
    run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', 'node-name': 'tf', filename: 'top.qcow2' } });
    const backing = node(l, 'top').children.find((e) => e.name === 'backing');
    expect(backing?.child.readOnly).toBe(true);
    expect(backing?.role).toEqual(COW);
    const file = backing?.child.children.find((e) => e.name === 'file');
    expect({ perm: file?.perm, shared: file?.shared }).toEqual({ perm: R, shared: RU });
  });

  it('a header naming itself through json: options (a stream onto a base with an explicit backing) hangs 7.2 as a plain name does', () => {
    const l = new BlockLayer(MemoryImageStore.fromSpecs([{ filename: 't.qcow2', format: 'qcow2', size: MiB }]));
    const file = { driver: 'file', filename: 't.qcow2' };
    run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'b', file, backing: { driver: 'qcow2', file }, 'read-only': true, 'force-share': true });
    run(l, 'blockdev-add', { driver: 'qcow2', 'node-name': 'o', file, backing: 'b' });
    run(l, 'block-stream', { 'job-id': 's', device: 'o', 'base-node': 'b' });
    expect(node(l, 'o').backingFile).toMatch(/^json:\{"backing": \{/);
    const again = l.execute('blockdev-add', { driver: 'qcow2', 'node-name': 'again', file, 'read-only': true, 'force-share': true });
    expect(again.kind === 'qemu-hang' ? again.where : again.kind).toMatch(/^block\.c bdrv_open_backing_file: image headers name each other/);
    expect(l.execute('query-version').kind).toBe('qemu-hang');
  });
});

