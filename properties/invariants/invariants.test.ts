import { describe, expect, it } from 'vitest';
import type { QmpCommand } from '../../qmp/types.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { edgePermsMatchDriverRules } from './edge-perms-match-driver-rules.ts';
import { failedCommandLeavesGraphUnchanged } from './failed-command-leaves-graph-unchanged.ts';
import { filterHasOneFilteredChild } from './filter-has-one-filtered-child.ts';
import { graphIsAcyclic } from './graph-is-acyclic.ts';
import { SnapshotIndex } from './graph-views.ts';
import { INVARIANTS } from './index.ts';
import type { Invariant, Violation } from './invariant.ts';
import { noDanglingEdges } from './no-dangling-edges.ts';
import { optionsMatchGraph } from './options-match-graph.ts';
import { readOnlyNodesHaveNoWriters } from './read-only-nodes-have-no-writers.ts';
import { sharedPermsCompatible } from './shared-perms-compatible.ts';
import { ROLE, SnapshotBuilder, chainWithExport } from './snapshot-builder.ts';

const ADD: QmpCommand = { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'x' } };

/** State and step invariants on one snapshot (step ones as a failed command that led from `before`). */
function check(inv: Invariant, g: GraphSnapshot, before: GraphSnapshot = g): readonly Violation[] {
  switch (inv.kind) {
    case 'state':
      return inv.check(g, new SnapshotIndex(g));
    case 'step':
      return inv.check({ before, after: g, command: ADD, outcome: { kind: 'error', code: 'invalid-param', desc: 'nope' } });
    case 'live':
      throw new Error('live invariants have their own test (mirror-top-drop-never-fails.test.ts)');
    case 'history':
      throw new Error('history invariants have their own test (served.test.ts)');
  }
}

const good = chainWithExport().build();

/** One graph that breaks each snapshot invariant; every invariant must be able to fail. */
const BAD: Readonly<Record<string, () => { after: GraphSnapshot; before?: GraphSnapshot; expect: RegExp }>> = {
  'graph-is-acyclic': () => ({
    after: chainWithExport().edge('base', 'backing', 'top', ROLE.cow, 'R', 'ALL').build(),
    expect: /cycle: .*top.*base|cycle: .*base.*top/,
  }),
  'shared-perms-compatible': () => ({
    after: chainWithExport().backend('top-file', 'W', 'ALL').build(),
    expect: /on 'top-file': .* uses write that top -file-> top-file/,
  }),
  'edge-perms-match-driver-rules': () => ({
    after: new SnapshotBuilder().node('f', 'file').node('q', 'qcow2').edge('q', 'file', 'f', ROLE.image, 'R', 'RU').build(),
    expect: /q -file-> f \[consistent-read\/consistent-read,write-unchanged\] but the rules give \[consistent-read,write,resize\//,
  }),
  'read-only-nodes-have-no-writers': () => ({
    after: new SnapshotBuilder().node('f', 'file', { readOnly: true }).backend('f', 'RW', 'RWU').build(),
    expect: /read-only node 'f' has cumulative perm consistent-read,write/,
  }),
  'options-match-graph': () => ({
    after: new SnapshotBuilder().node('f', 'file').node('r', 'raw', { options: { driver: 'raw', 'node-name': 'r', file: 'f' } }).edge('r', 'file', 'f', ROLE.filtered, '-', 'ALL').build(),
    expect: /node 'r': options hold child reference 'file' = "f"/,
  }),
  'no-dangling-edges': () => ({
    after: new SnapshotBuilder().node('r', 'raw').edge('r', 'file', 'gone', ROLE.filtered, '-', 'ALL').build(),
    expect: /r -file-> gone \[-\/ALL\] points at 'gone', which is not in the graph/,
  }),
  'failed-command-leaves-graph-unchanged': () => ({
    before: good,
    after: chainWithExport().node('x', 'qcow2').build(),
    expect: /failed with 'nope' but changed node added: x/,
  }),
  'filter-has-one-filtered-child': () => ({
    after: new SnapshotBuilder().node('t', 'throttle').build(),
    expect: /throttle node 't' is a filter with 0 filtered children/,
  }),
};

describe('invariants on hand-built snapshots', () => {
  it('all hold on the observed chain with a writable export (semantics §2.3, add-01)', () => {
    for (const inv of INVARIANTS.filter((i) => i.kind !== 'live' && i.kind !== 'history')) expect([inv.name, check(inv, good)]).toEqual([inv.name, []]);
  });

  for (const inv of INVARIANTS.filter((i) => i.kind !== 'live' && i.kind !== 'history')) {
    it(`${inv.name} can fail`, () => {
      const make = BAD[inv.name];
      expect(make, `no bad case for ${inv.name}`).toBeDefined();
      if (!make) return;
      const c = make();
      const v = check(inv, c.after, c.before);
      expect(v.length).toBeGreaterThan(0);
      expect(v.map((x) => x.message).join('\n')).toMatch(c.expect);
      expect(inv.source.length).toBeGreaterThan(0);
    });
  }
});

describe('edge-perms-match-driver-rules', () => {
  it('applies force-share on the child: shared becomes ALL', () => {
    const b = () => new SnapshotBuilder().node('f', 'file', { readOnly: true, forceShare: true }).node('q', 'qcow2', { readOnly: true });
    expect(check(edgePermsMatchDriverRules, b().edge('q', 'file', 'f', ROLE.image, 'R', 'ALL').build())).toEqual([]);
    expect(check(edgePermsMatchDriverRules, b().edge('q', 'file', 'f', ROLE.image, 'R', 'RU').build())).toHaveLength(1);
  });

  it('recomputes from scratch: the topmost wrong edge comes first', () => {
    const g = new SnapshotBuilder()
      .node('f', 'file')
      .node('q', 'qcow2')
      .node('t', 'throttle')
      .backend('t', 'RW', 'RWU')
      .edge('t', 'file', 'q', ROLE.filtered, 'R', 'RWU')
      .edge('q', 'file', 'f', ROLE.image, 'RWS', 'RU')
      .build();
    const v = check(edgePermsMatchDriverRules, g);
    expect(v[0]?.message).toMatch(/^t -file-> q /);
  });

  it('reports an edge no rule covers (wrong child name or role for the driver)', () => {
    const g = new SnapshotBuilder().node('f', 'file').node('q', 'qcow2').edge('q', 'image', 'f', ROLE.filtered, '-', 'ALL').build();
    expect(check(edgePermsMatchDriverRules, g)[0]?.message).toMatch(/no perm rule for qcow2 child 'image'/);
  });

  it('knows quorum rewrite-corrupted and raw windows', () => {
    const q = (pattern: string, perm: string) =>
      new SnapshotBuilder()
        .node('c', 'null-co')
        .node('q', 'quorum', { options: { driver: 'quorum', 'node-name': 'q', 'rewrite-corrupted': true, 'read-pattern': pattern } })
        .edge('q', 'children.0', 'c', ROLE.data, perm, 'RU')
        .build();
    expect(check(edgePermsMatchDriverRules, q('quorum', 'W'))).toEqual([]);
    expect(check(edgePermsMatchDriverRules, q('fifo', '-'))).toEqual([]);
    expect(check(edgePermsMatchDriverRules, q('fifo', 'W'))).toHaveLength(1);
    const raw = new SnapshotBuilder().node('f', 'file').node('r', 'raw').backend('r', 'RW', 'RWU').edge('r', 'file', 'f', ROLE.dataPrimary, 'RW', 'RWU').build();
    expect(check(edgePermsMatchDriverRules, raw)).toEqual([]);
  });
});

describe('structural invariants', () => {
  it('graph-is-acyclic sees a node that is its own child', () => {
    const g = new SnapshotBuilder().node('t', 'throttle').edge('t', 'file', 't', ROLE.filtered, '-', 'ALL').build();
    expect(check(graphIsAcyclic, g)[0]?.message).toBe('cycle: t -> t');
  });

  it('no-dangling-edges sees parents lists that disagree with the edges', () => {
    const g = new SnapshotBuilder().node('f', 'file', { parentEdges: ['node:r/file', 'node:ghost/file'] }).node('r', 'raw').edge('r', 'file', 'f', ROLE.filtered, '-', 'ALL').build();
    expect(check(noDanglingEdges, g).map((v) => v.message)).toEqual(["'f' lists parent edge node:ghost/file, which no live parent holds"]);
    const missing = new SnapshotBuilder().node('f', 'file', { parentEdges: ['x'] }).node('r', 'raw').edge('r', 'file', 'f', ROLE.filtered, '-', 'ALL').build();
    expect(check(noDanglingEdges, missing).map((v) => v.message)).toContain("r -file-> f [-/ALL] is listed 0 times among 'f''s parents");
    expect(check(noDanglingEdges, new SnapshotBuilder().node('f', 'file', { closed: true }).build())[0]?.message).toMatch(/closed node 'f'/);
  });

  it('filter-has-one-filtered-child checks names, COW children and backing support', () => {
    const blk = new SnapshotBuilder().node('f', 'file').node('d', 'blkdebug').edge('d', 'file', 'f', ROLE.filtered, '-', 'ALL').build();
    expect(check(filterHasOneFilteredChild, blk)[0]?.message).toMatch(/filters through 'file' instead of 'image'/);
    const rawBacking = new SnapshotBuilder().node('f', 'file').node('r', 'raw').edge('r', 'backing', 'f', ROLE.cow, '-', 'ALL').build();
    expect(check(filterHasOneFilteredChild, rawBacking)[0]?.message).toMatch(/does not support backing files/);
    const rawFiltered = new SnapshotBuilder().node('f', 'file').node('r', 'raw').edge('r', 'file', 'f', ROLE.filtered, '-', 'ALL').build();
    expect(check(filterHasOneFilteredChild, rawFiltered)).toEqual([]);
  });
});

describe('options-match-graph', () => {
  it('reports read-only disagreeing with the flag and a stale or contradicting backing', () => {
    const ro = new SnapshotBuilder().node('f', 'file', { options: { driver: 'file', 'read-only': true } }).build();
    expect(check(optionsMatchGraph, ro)[0]?.message).toMatch(/option read-only=true but the node is writable/);
    const stale = new SnapshotBuilder().node('q', 'qcow2', { options: { driver: 'qcow2', backing: null } }).build();
    expect(check(optionsMatchGraph, stale)[0]?.message).toMatch(/stale backing=null/);
    const contra = new SnapshotBuilder()
      .node('b', 'qcow2', { readOnly: true })
      .node('q', 'qcow2', { options: { driver: 'qcow2', backing: 'other' } })
      .edge('q', 'backing', 'b', ROLE.cow, '-', 'RU')
      .build();
    expect(check(optionsMatchGraph, contra)[0]?.message).toMatch(/has backing child 'b' but its options say backing="other"/);
    const dotted = new SnapshotBuilder().node('q', 'qcow2', { options: { driver: 'qcow2', 'file.filename': 'a' } }).build();
    expect(check(optionsMatchGraph, dotted)[0]?.message).toMatch(/child reference 'file.filename'/);
  });
});

describe('failed-command-leaves-graph-unchanged and read-only writers', () => {
  it('ignores successful commands and parents-list order', () => {
    const changed = chainWithExport().node('x', 'qcow2').build();
    expect(failedCommandLeavesGraphUnchanged.kind).toBe('step');
    if (failedCommandLeavesGraphUnchanged.kind !== 'step') return;
    expect(failedCommandLeavesGraphUnchanged.check({ before: good, after: changed, command: ADD, outcome: { kind: 'ok' } })).toEqual([]);
    const reordered: GraphSnapshot = { ...good, nodes: good.nodes.map((n) => ({ ...n, parentEdges: [...n.parentEdges].reverse() })) };
    expect(check(failedCommandLeavesGraphUnchanged, reordered, good)).toEqual([]);
    const perm = chainWithExport().build();
    const loosened: GraphSnapshot = { ...perm, edges: perm.edges.map((e) => (e.key === 'node:top/file' ? { ...e, perm: ['consistent-read'] } : e)) };
    expect(check(failedCommandLeavesGraphUnchanged, loosened, good)[0]?.message).toMatch(/edge node:top\/file: perm/);
  });

  it('read-only-nodes-have-no-writers accepts write-free parents of read-only nodes', () => {
    const g = new SnapshotBuilder().node('f', 'file', { readOnly: true }).backend('f', 'R', 'ALL').build();
    expect(check(readOnlyNodesHaveNoWriters, g)).toEqual([]);
    expect(check(sharedPermsCompatible, g)).toEqual([]);
  });
});
