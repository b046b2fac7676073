import { describe, expect, it } from 'vitest';
import { qmpDouble } from '../qmp/json/qnum.ts';
import { apply } from './apply.ts';
import { initialState } from './state.ts';
import type { ModelState } from './state.ts';
import { add, allowed, cmd, qcow2, raw, run } from './test-steps.test-support.ts';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}

describe('apply', () => {
  it('is pure: the state it is given stays as it was, and equal inputs give equal outcomes', () => {
    const s: ModelState = deepFreeze(run([raw('a.raw')], [add({ driver: 'file', 'node-name': 'f', filename: 'a.raw' })]).state);
    const c = add({ driver: 'raw', 'node-name': 'r', file: 'f' });
    const [a, b] = [apply(s, c), apply(s, c)];
    expect(a).toEqual(b);
    expect(s.nodes.map((n) => n.name)).toEqual(['f']);
    expect(a.kind === 'judged' && a.branches[0]?.state.nodes.map((n) => n.name)).toEqual(['f', 'r']);
  });

  it('refuses unknown commands and arguments that are no object (their members are for QAPI), leaving the state', () => {
    const s = initialState([]);
    expect(allowed(apply(s, cmd('no-such', {})))).toBe('command-not-found');
    expect(allowed(apply(s, { execute: 'blockdev-del', arguments: [] }))).toBe('invalid-param');
    // a double (`"arguments": 1.5`) is a number, though as an object it has no keys
    expect(allowed(apply(s, { execute: 'query-jobs', arguments: qmpDouble(1.5) }))).toBe('invalid-param');
    const e = apply(s, cmd('blockdev-del', { 'node-name': 'n' }));
    expect(e.kind === 'judged' && e.branches.map((b) => [b.outcome.ok, b.state === s])).toEqual([[false, true]]);
  });

  it('does not judge what depends on image bytes it does not follow: a qcow2 header cut by a truncate', () => {
    const { seen } = run([qcow2('q.qcow2')], [
      add({ driver: 'file', 'node-name': 'f', filename: 'q.qcow2' }),
      add({ driver: 'raw', 'node-name': 'r', file: 'f' }),
      cmd('block_resize', { 'node-name': 'r', size: 512 }),
      add({ driver: 'qcow2', 'node-name': 'q', file: 'f', 'read-only': true }),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'ok', 'not judged: image-data']);
  });
});
