// x-blockdev-change on a quorum: add a parentless named node, or delete one of its children.
import fc from 'fast-check';
import type { JsonObject } from '../../../qmp/types.ts';
import { mostly, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { childEdgesOf, namedNodes, parentEdgesOf } from '../gen-state.ts';

export const xBlockdevChange: CommandKind = {
  kind: 'x-blockdev-change',
  weight: 2,
  applicable: (s) => namedNodes(s).some((n) => n.driver === 'quorum'),
  generate: (s) => {
    const quorums = namedNodes(s).filter((n) => n.driver === 'quorum');
    const others = namedNodes(s);
    const free = others.filter((n) => parentEdgesOf(s, n).length === 0);
    const parent = mostly(pick(quorums), pick(others), 10);
    const add = fc.tuple(parent, pick(free.length > 0 ? free : others)).map(([p, n]): JsonObject => ({ parent: p.name, node: n.name }));
    const del = parent.chain((p) => {
      const kids = childEdgesOf(s, p).map((e) => e.name);
      return mostly(pick(kids.length > 0 ? kids : ['children.0']), fc.constant('children.9'), 8).map((c): JsonObject => ({ parent: p.name, child: c }));
    });
    return fc.oneof(add, del).map((args) => ({ execute: 'x-blockdev-change', arguments: args }));
  },
};
