// throttle's child perms (semantics §2.3): a plain filter, P/Sh passed through unchanged.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../qmp/types.ts';
import { BlockLayer } from '../block-layer.ts';
import { defaultPerms } from '../core/default-perms.ts';
import type { BlockNode } from '../core/graph.ts';
import { ALL_PERMS, PERMS, permSet, permsForQmp } from '../core/perm.ts';
import type { PermSet } from '../core/perm.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { MemoryImageStore } from '../images/memory.ts';
import { throttle } from './throttle.ts';

const SUBSETS: PermSet[] = Array.from({ length: 16 }, (_, m) => permSet(...PERMS.filter((_p, i) => (m >> i) & 1)));

function layer(): BlockLayer {
  const l = new BlockLayer(MemoryImageStore.fromSpecs([]));
  run(l, 'object-add', { 'qom-type': 'throttle-group', id: 'tg' });
  run(l, 'blockdev-add', { driver: 'null-co', 'node-name': 'n' });
  run(l, 'blockdev-add', { driver: 'throttle', 'node-name': 't1', file: 'n', 'throttle-group': 'tg' });
  run(l, 'blockdev-add', { driver: 'throttle', 'node-name': 't2', file: 't1', 'throttle-group': 'tg' });
  return l;
}

function run(l: BlockLayer, name: string, args: JsonObject): void {
  const out = l.execute(name, args);
  if (out.kind !== 'reply' || !out.result.ok) throw new Error(`${name} failed: ${JSON.stringify(out)}`);
}

function node(l: BlockLayer, name: string): BlockNode {
  const n = l.env.graph.nodes.get(name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

/** The edge `parent -name->` as x-debug-query-block-graph reports it. */
function queriedEdge(l: BlockLayer, parent: string, name: string): { perm: unknown; shared: unknown } {
  const out = l.execute('x-debug-query-block-graph');
  if (out.kind !== 'reply' || !out.result.ok) throw new Error('query failed');
  const g = out.result.value as { nodes: { id: number; name: string }[]; edges: { parent: number; name: string; perm: unknown; 'shared-perm': unknown }[] };
  const id = g.nodes.find((n) => n.name === parent)?.id;
  const e = g.edges.find((x) => x.parent === id && x.name === name);
  if (!e) throw new Error(`no edge ${parent} -${name}->`);
  return { perm: e.perm, shared: e['shared-perm'] };
}

const qmp = (p: PermSet, s: PermSet) => ({ perm: permsForQmp(p), shared: permsForQmp(s) });

describe('throttle child perms', () => {
  it('passes every P/Sh through unchanged', () => {
    const l = layer();
    const rule = throttle.childPerm ?? defaultPerms;
    for (const writable of [false, true]) {
      for (const perm of SUBSETS) {
        for (const shared of SUBSETS) {
          expect(rule({ node: node(l, 't1'), childName: 'file', role: FILTERED_PRIMARY, perm, shared, writable })).toEqual({ perm, shared });
        }
      }
    }
  });

  it('stacked filters without parents take nothing and share everything', () => {
    const l = layer();
    expect(queriedEdge(l, 't2', 'file')).toEqual(qmp(permSet(), ALL_PERMS));
    expect(queriedEdge(l, 't1', 'file')).toEqual(qmp(permSet(), ALL_PERMS));
  });

  it('a writable export on the top filter reaches the bottom unchanged', () => {
    const l = layer();
    run(l, 'nbd-server-start', { addr: { type: 'unix', data: { path: 'nbd.sock' } } });
    run(l, 'block-export-add', { type: 'nbd', id: 'e', 'node-name': 't2', writable: true });
    const want = qmp(permSet('consistent-read', 'write'), permSet('consistent-read', 'write', 'write-unchanged'));
    expect(queriedEdge(l, 't2', 'file')).toEqual(want);
    expect(queriedEdge(l, 't1', 'file')).toEqual(want);
  });

  it('the file edge is the FILTERED|PRIMARY child', () => {
    expect(node(layer(), 't1').children.map((e) => [e.name, e.role])).toEqual([['file', FILTERED_PRIMARY]]);
  });
});
