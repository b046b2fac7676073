import { describe, expect, it } from 'vitest';
import { apply, initialState } from '../../model/index.ts';
import type { ModelState } from '../../model/index.ts';
import { judge, modelGraph } from './judge.ts';

const added = (): ModelState => {
  const e = apply(initialState([]), { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n' } });
  if (e.kind !== 'judged' || !e.branches[0]) throw new Error('blockdev-add not judged');
  return e.branches[0].state;
};

describe('judge', () => {
  it("leaves a command's argument shape to the other side: a QAPI refusal that changed nothing is allowed", () => {
    const s = added();
    const bogus = { execute: 'blockdev-del', arguments: { 'node-name': 'n', 'x-bogus': 1 } };
    const refusal = { kind: 'error', code: 'invalid-param', desc: "Parameter 'x-bogus' is unexpected" } as const;
    expect(judge([s], bogus, { outcome: refusal, graph: modelGraph(s) }).kind).toBe('allowed');
    // the same refusal with the node gone, or a refusal that is no QAPI one where the model deletes: outside
    expect(judge([s], bogus, { outcome: refusal, graph: modelGraph(initialState([])) }).kind).toBe('outside');
    const other = { kind: 'error', code: 'invalid-param', desc: 'Node n is in use' } as const;
    expect(judge([s], { execute: 'blockdev-del', arguments: { 'node-name': 'n' } }, { outcome: other, graph: modelGraph(s) }).kind).toBe('outside');
  });
});
