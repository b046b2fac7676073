// The view a build's QMP replies give, on hand-made replies: what it derives (roles, inherited force-share, job
// filter modes, a refused node list) and the observed invariants judging it exactly as they judge the impl.
import { describe, expect, it } from 'vitest';
import type { JsonObject, QmpCommand } from '../../qmp/types.ts';
import { edgePermsMatchDriverRules } from '../invariants/edge-perms-match-driver-rules.ts';
import { failedCommandLeavesGraphUnchanged } from '../invariants/failed-command-leaves-graph-unchanged.ts';
import { graphIsAcyclic } from '../invariants/graph-is-acyclic.ts';
import type { Invariant } from '../invariants/index.ts';
import { judge } from '../invariants/judge.ts';
import { readOnlyNodesHaveNoWriters } from '../invariants/read-only-nodes-have-no-writers.ts';
import { EMPTY_SNAPSHOT } from '../snapshot.ts';
import type { GraphSnapshot } from '../snapshot.ts';
import { EMPTY_LEDGER, record } from './ledger.ts';
import type { Ledger } from './ledger.ts';
import { IdTable, buildView } from './qmp-view.ts';
import type { BuildReplies } from './qmp-view.ts';

type E = readonly [parent: number, name: string, child: number, perm: string, shared: string];
const P: Record<string, string> = { R: 'consistent-read', W: 'write', U: 'write-unchanged', S: 'resize' };
const perms = (s: string): string[] => (s === 'ALL' ? Object.values(P) : [...s].map((c) => P[c] ?? c));

/** x-debug-query-block-graph and query-named-block-nodes for nodes [id, name, drv, ro] and edges. */
function replies(nodes: readonly (readonly [number, string, string, boolean])[], edges: readonly E[], more: Partial<BuildReplies> = {}): BuildReplies {
  const isNode = (_name: string, d: string): string => (d === 'bb' ? 'block-backend' : d === 'job' ? 'block-job' : 'block-driver');
  return {
    graph: {
      nodes: nodes.map(([id, name, drv]) => ({ id, name, type: isNode(name, drv) as 'block-driver' })),
      edges: edges.map(([parent, name, child, p, s]) => ({ parent, name, child, perm: perms(p), 'shared-perm': perms(s) })),
    },
    named: nodes.filter(([, , d]) => d !== 'bb' && d !== 'job').map(([, name, drv, ro]): JsonObject => ({ 'node-name': name, drv, ro, file: `${name}.img` })),
    jobs: [],
    exports: [],
    objects: [],
    ...more,
  };
}

const ok = { kind: 'ok' } as const;
const told = (...cmds: QmpCommand['arguments'][]): Ledger => cmds.reduce<Ledger>((l, a) => record(l, { execute: 'blockdev-add', arguments: a }, ok), EMPTY_LEDGER);
const view = (r: BuildReplies, l: Ledger = EMPTY_LEDGER, previous: GraphSnapshot = EMPTY_SNAPSHOT): GraphSnapshot => buildView(r, l, new IdTable(), previous);
const check = (inv: Invariant, g: GraphSnapshot): string[] => judge(inv, { before: g, after: g, command: { execute: 'x' }, outcome: ok }).map((v) => v.message);

describe('the view a build shows', () => {
  it('gives a child the force-share of the node that opened it, so its edge may share everything', () => {
    const l = told({ driver: 'qcow2', 'node-name': 'q', 'read-only': true, 'force-share': true, file: { driver: 'file', filename: 'a.qcow2' } });
    const g = view(replies([[1, 'q', 'qcow2', true], [2, '#block001', 'file', true]], [[1, 'file', 2, 'R', 'ALL']]), l);
    expect(g.nodes.map((n) => [n.name, n.forceShare, n.options['force-share']])).toEqual([['q', true, true], ['#block001', true, true]]);
    expect(g.edges[0]?.role).toEqual({ kind: 'storage', data: true, metadata: true, primary: true });
    expect(check(edgePermsMatchDriverRules, g)).toEqual([]);
    // the same edge without force-share anywhere breaks the rules
    const plain = view(replies([[1, 'q', 'qcow2', true], [2, '#block001', 'file', true]], [[1, 'file', 2, 'R', 'ALL']]));
    expect(check(edgePermsMatchDriverRules, plain)).toEqual(["q -file-> #block001 [consistent-read/ALL] but the rules give [consistent-read/consistent-read,write-unchanged]"]);
  });

  it('keeps the force-share a named child inherited at open after the node that opened it is gone', () => {
    const l = told(
      { driver: 'qcow2', 'node-name': 'a', 'read-only': true, 'force-share': true, file: { driver: 'file', 'node-name': 'f', filename: 'x.qcow2' } },
      { driver: 'qcow2', 'node-name': 'b', 'read-only': true, file: 'f' },
    );
    const gone = record(l, { execute: 'blockdev-del', arguments: { 'node-name': 'a' } }, ok);
    const g = view(replies([[1, 'b', 'qcow2', true], [2, 'f', 'file', true]], [[1, 'file', 2, 'R', 'ALL']]), gone);
    expect(g.nodes.find((n) => n.name === 'f')?.forceShare).toBe(true);
    expect(check(edgePermsMatchDriverRules, g)).toEqual([]);
  });

  it("fixes a raw node's role from what it was opened with (a window makes its file a DATA child)", () => {
    const nodes = [[1, 'r', 'raw', false], [2, 'f', 'file', false]] as const;
    const windowed = view(replies(nodes, [[1, 'file', 2, '', 'RWU']]), told({ driver: 'raw', 'node-name': 'r', offset: 512, file: 'f' }));
    expect(windowed.edges[0]?.role).toEqual({ kind: 'storage', data: true, metadata: false, primary: true });
    const reopened = record(told({ driver: 'raw', 'node-name': 'r', file: 'f' }), { execute: 'blockdev-reopen', arguments: { options: [{ driver: 'raw', 'node-name': 'r', offset: 512, file: 'f' }] } }, ok);
    expect(view(replies(nodes, [[1, 'file', 2, '', 'ALL']]), reopened).edges[0]?.role).toEqual({ kind: 'filtered', primary: true });
  });

  it("knows an active commit's mirror_top by the job's target below it", () => {
    const r = replies(
      [[1, 'top', 'qcow2', false], [2, 'mt', 'mirror_top', false], [3, 'base', 'qcow2', false], [4, 'j', 'job', false]],
      [[2, 'backing', 1, 'W', 'RWU'], [1, 'backing', 3, '', 'RU'], [4, 'main node', 2, '', 'ALL'], [4, 'target', 3, 'W', 'RWU']],
      { jobs: [{ id: 'j', type: 'commit', status: 'ready' }] },
    );
    const g = view(r);
    expect(g.nodes.find((n) => n.name === 'mt')?.state).toEqual({ driver: 'mirror_top', stop: false, loosePerms: false, isCommit: true });
    expect(g.jobs).toEqual([{ id: 'j', type: 'commit', status: 'ready' }]);
  });

  it('sees a cycle and a writer on a read-only node, as in the impl', () => {
    const loop = view(replies([[1, 'a', 'throttle', false], [2, 'b', 'throttle', false]], [[1, 'file', 2, '', 'ALL'], [2, 'file', 1, '', 'ALL']]));
    expect(check(graphIsAcyclic, loop)).toEqual(['cycle: a -> b -> a']);
    const ro = view(replies([[1, 'bb', 'bb', false], [2, 'f', 'file', true]], [[1, 'root', 2, 'RW', 'ALL']]));
    expect(check(readOnlyNodesHaveNoWriters, ro)).toEqual(["read-only node 'f' has cumulative perm consistent-read,write"]);
  });

  it('keeps a refused node list as last seen, the cleared driver marked, and calls a failed command that changed it', () => {
    const before = view(replies([[1, 'q', 'qcow2', false], [2, 'f', 'file', false]], [[1, 'file', 2, 'RWS', 'RU']]));
    const refused = replies([[1, 'q', 'qcow2', false], [2, 'f', 'file', false]], [[1, 'file', 2, 'RWS', 'RU']], { named: { error: 'Block device q is ejected' } });
    const after = view(refused, EMPTY_LEDGER, before);
    expect(after.nodes.map((n) => [n.name, n.driver, n.driverGone])).toEqual([['q', 'qcow2', true], ['f', 'file', false]]);
    const v = judge(failedCommandLeavesGraphUnchanged, { before, after, command: { execute: 'block_resize' }, outcome: { kind: 'error', code: null, desc: 'Input/output error' } });
    expect(v[0]?.message).toMatch(/^failed with 'Input\/output error' but changed node q: driverGone false -> true/);
  });

  it('takes exports from query-block-exports, writable from what was asked, and both from the ledger without the query', () => {
    const l = record(EMPTY_LEDGER, { execute: 'block-export-add', arguments: { id: 'e0', type: 'nbd', 'node-name': 'f', writable: true } }, ok);
    const nodes = [[1, 'f', 'file', false]] as const;
    expect(view(replies(nodes, [], { exports: [{ id: 'e0', type: 'nbd', 'node-name': 'f' }] }), l).exports).toEqual([{ id: 'e0', node: 'f', writable: true }]);
    expect(view(replies(nodes, [], { exports: undefined, objects: undefined }), record(l, { execute: 'object-add', arguments: { 'qom-type': 'throttle-group', id: 'g' } }, ok))).toMatchObject({
      exports: [{ id: 'e0', node: 'f', writable: true }],
      throttleGroups: [{ id: 'g', users: 0 }],
    });
    expect(record(l, { execute: 'block-export-del', arguments: { id: 'e0' } }, { kind: 'error', code: null, desc: 'no' })).toBe(l);
  });
});
