import { describe, expect, it } from 'vitest';
import { apply } from './apply.ts';
import { blockGraph } from './query.ts';
import { computePerms, permInputs, permsOf, sameInputs } from './perms.ts';
import { COW_ROLE, FILTERED } from './perm-rules.ts';
import { ModelBug } from './result.ts';
import type { ModelState, NodeEdge } from './state.ts';
import { add, cmd, perms, qcow2, run } from './test-steps.test-support.ts';

const chain = [qcow2('b.qcow2'), qcow2('t.qcow2', { backing: 'b.qcow2' })];
const opened = run(chain, [
  add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 't.qcow2' } }),
  cmd('nbd-server-start', { addr: { type: 'unix', path: 's' } }),
  cmd('block-export-add', { type: 'nbd', id: 'e', 'node-name': 'top', writable: true }),
]).state;

describe('perms', () => {
  it('are derived parents first whatever order the edges are listed in', () => {
    const reversed: ModelState = { ...opened, edges: [...opened.edges].reverse(), nodes: [...opened.nodes].reverse() };
    const [a, b] = [computePerms(opened), computePerms(reversed)];
    for (const e of opened.edges) expect(b.edge(e)).toEqual(a.edge(e));
    expect([perms(opened, 'top', 'file'), perms(opened, 'top', 'backing')]).toEqual(['RWS/RU', 'R/RWUS']);
  });

  it('on a cycle (which the model never builds: attaching refuses one) are a model bug', () => {
    const nodes = opened.nodes.filter((n) => n.driver === 'qcow2');
    const [x = '', y = ''] = nodes.map((n) => n.name);
    const loop: NodeEdge[] = [
      { parent: x, name: 'backing', child: y, role: COW_ROLE },
      { parent: y, name: 'backing', child: x, role: COW_ROLE },
    ];
    expect(() => computePerms({ ...opened, nodes, edges: loop })).toThrow(ModelBug);
  });

  it('of a committed state are computed once (or handed over by its draft) and equal a fresh computation', () => {
    const ok = apply(opened, { execute: 'object-add', arguments: { 'qom-type': 'throttle-group', id: 'g' } });
    const s = ok.kind === 'judged' ? ok.branches[0]?.state : undefined;
    const withFilter = s && apply(s, add({ driver: 'throttle', 'node-name': 'f', file: 'top', 'throttle-group': 'g' }));
    const after = withFilter?.kind === 'judged' ? withFilter.branches[0]?.state : undefined;
    if (!after) throw new Error('the filter was not added');
    const carried = permsOf(after);
    expect(permsOf(after)).toBe(carried);
    expect(sameInputs(permInputs(after), permInputs({ ...after }))).toBe(true);
    const f = after.edges.find((x) => x.parent === 'f') ?? { parent: 'f', name: 'file', child: 'top', role: FILTERED };
    expect(carried.edge(f)).toEqual(computePerms(after).edge(f));
    expect(blockGraph(after).edges.length).toBe(after.edges.length + after.bbs.length);
  });

  it('carried by a state are used only while its graph is theirs, and asking never writes into a given state', () => {
    expect(opened.perms?.perms).toBe(permsOf(opened));
    // a copy with another BlockBackend on top: the carried perms no longer fit, so they are computed anew
    const more: ModelState = { ...opened, bbs: [{ id: 99, child: 'top', perm: ['write'], shared: ['consistent-read'] }, ...opened.bbs] };
    expect(permsOf(more)).not.toBe(opened.perms?.perms);
    expect(permsOf(more).cumulative('top').perm).toContain('write');
    expect(more.perms).toBe(opened.perms);
    const fresh: ModelState = Object.freeze({ ...opened, perms: undefined });
    expect(permsOf(fresh).edge(opened.edges[0]!)).toEqual(computePerms(opened).edge(opened.edges[0]!));
  });
});
