import { describe, expect, it } from 'vitest';
import { qmpDouble } from '../qmp/json/qnum.ts';
import { add, cmd, qcow2, raw, run } from './test-steps.test-support.ts';
import type { JsonObject } from '../qmp/types.ts';

const reopen = (...options: object[]): ReturnType<typeof cmd> => cmd('blockdev-reopen', { options: options as never });

describe('blockdev-reopen', () => {
  it('every option must be restated; runtime and mutable ones may change', () => {
    const { state, seen } = run([raw('a.raw')], [
      add({ driver: 'raw', 'node-name': 'r', offset: 512, file: { driver: 'file', 'node-name': 'f', filename: 'a.raw' } }),
      reopen({ driver: 'raw', 'node-name': 'r', file: 'f' }),
      reopen({ driver: 'file', 'node-name': 'f', filename: 'b.raw' }),
      reopen({ driver: 'raw', 'node-name': 'r', file: 'f', offset: 1024, 'read-only': true }),
      reopen(),
      reopen({ driver: 'raw', 'node-name': 'nope', file: 'f' }),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'invalid-param', 'ok', 'invalid-param', 'not-found']);
    // the implicit child inherits read-only from the reopened parent
    expect(state.nodes.map((n) => [n.name, n.readOnly])).toEqual([['f', true], ['r', true]]);
  });

  it('an option holding a double is compared like any other (blkdebug takes any JSON for set-state here)', () => {
    const dbg = (state: object): object => ({ driver: 'blkdebug', 'node-name': 'd', image: 'n', 'set-state': state });
    const { seen } = run([], [
      add({ driver: 'blkdebug', 'node-name': 'd', image: { driver: 'null-co', 'node-name': 'n' }, 'set-state': qmpDouble(1.5) }),
      reopen(dbg(qmpDouble(1.5))),
      reopen(dbg(qmpDouble(2.5))),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'invalid-param']);
  });

  it("a backing must be stated while the header names one; a new one must not close a cycle; a driver's members are checked (QAPI)", () => {
    const { seen } = run([qcow2('b.qcow2'), qcow2('t.qcow2', { backing: 'b.qcow2' })], [
      add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', 'node-name': 'tf', filename: 't.qcow2' } }),
      reopen({ driver: 'qcow2', 'node-name': 't', file: 'tf' }),
      reopen({ driver: 'qcow2', 'node-name': 't', file: 'tf', backing: 't' }),
      reopen({ driver: 'qcow2', 'node-name': 't', file: 'tf', backing: null }),
      reopen({ driver: 'throttle', 'node-name': 'tf' }),
    ]);
    expect(seen).toEqual(['ok', 'invalid-param', 'cycle', 'ok', 'invalid-param']);
  });

  it('a node listed without its backing stays refused when a later entry names it as a child (fuzz seed 1)', () => {
    const images = [qcow2('b.qcow2'), qcow2('m.qcow2', { backing: 'b.qcow2' }), qcow2('t.qcow2')];
    const { seen } = run(images, [
      add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' }, backing: { driver: 'qcow2', 'node-name': 'm', file: { driver: 'file', filename: 'm.qcow2' } } }),
      reopen({ driver: 'qcow2', 'node-name': 'm', file: { driver: 'file', filename: 'm.qcow2' } }, { driver: 'qcow2', 'node-name': 't', backing: 'm', file: { driver: 'file', filename: 't.qcow2' } }),
    ]);
    expect(seen).toEqual(['ok', 'invalid-param']);
  });

  it("a node's child dict moves to the child's entry: queued again by its parent, the node no longer states its backing (fuzz seed 2)", () => {
    const { seen } = run([qcow2('b.qcow2'), qcow2('t.qcow2', { backing: 'b.qcow2' })], [
      add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' }, backing: { driver: 'qcow2', 'node-name': 'm', file: { driver: 'file', filename: 't.qcow2' } }, 'read-only': true }),
      reopen({ driver: 'qcow2', 'node-name': 'm', backing: { driver: 'qcow2', file: { driver: 'file', filename: 'b.qcow2' } }, file: 'm' }, { driver: 'qcow2', 'node-name': 't', file: 'm' }),
    ]);
    expect(seen).toEqual(['ok', 'invalid-param']);
  });

  it('a child does not inherit from a deleted parent, nor from a later node of the same name (fuzz seed 1)', () => {
    const { state, seen } = run([qcow2('a.qcow2')], [
      add({ driver: 'qcow2', 'node-name': 'p', file: { driver: 'file', 'node-name': 'f', filename: 'a.qcow2' } }),
      add({ driver: 'raw', 'node-name': 'r', file: 'f' }),
      cmd('blockdev-del', { 'node-name': 'p' }),
      add({ driver: 'blkdebug', 'node-name': 'p', image: 'f', 'take-child-perms': ['write'] }),
      reopen({ driver: 'blkdebug', 'node-name': 'p', image: 'f', 'take-child-perms': ['write'], 'read-only': true }),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(state.nodes.find((n) => n.name === 'f')?.inheritsFrom).toBe(null);
  });

  it('a child listed and then requeued through its parent keeps the options its own entry left out (core-reopen-21)', () => {
    const base = [add({ driver: 'raw', 'node-name': 'r', file: { driver: 'null-co', 'node-name': 'n', size: 1048576 } })];
    const listed = run([], [...base, reopen({ driver: 'null-co', 'node-name': 'n' }, { driver: 'raw', 'node-name': 'r', file: 'n' })]);
    expect(listed.seen).toEqual(['ok', 'ok']);
    const again = run([], [...base, reopen({ driver: 'null-co', 'node-name': 'n' }, { driver: 'raw', 'node-name': 'r', file: 'n' }), reopen({ driver: 'raw', 'node-name': 'r', file: 'n' }, { driver: 'null-co', 'node-name': 'n' })]);
    expect(again.seen).toEqual(['ok', 'ok', 'invalid-param']);
  });

  it('drivers that cannot reopen refuse, and a snapshot ignores that for its read-only reopen', () => {
    const { seen } = run([raw('a.raw'), qcow2('o.qcow2')], [
      add({ driver: 'copy-on-read', 'node-name': 'c', file: { driver: 'file', filename: 'a.raw' } }),
      reopen({ driver: 'copy-on-read', 'node-name': 'c', file: 'x' }),
      add({ driver: 'qcow2', 'node-name': 'o', file: { driver: 'file', filename: 'o.qcow2' }, backing: null }),
      cmd('blockdev-snapshot', { node: 'c', overlay: 'o' }),
    ]);
    expect(seen).toEqual(['ok', 'unsupported', 'ok', 'ok']);
  });

  it("freeing a commit filter whose link is frozen is refused, and a refresh's error met first is allowed too (fuzz seed 22)", () => {
    const images = [qcow2('o.qcow2'), qcow2('b.qcow2'), qcow2('t.qcow2', { backing: 'b.qcow2' })];
    const steps = (ro: boolean): ReturnType<typeof cmd>[] => [
      add({ driver: 'qcow2', 'node-name': 't', file: { driver: 'file', filename: 't.qcow2' } }),
      add({ driver: 'file', 'node-name': 'f', filename: 'o.qcow2' }),
      add({ driver: 'qcow2', 'node-name': 'o', file: 'f', backing: 't' }),
      cmd('block-commit', { 'job-id': 'j', 'auto-finalize': false, device: 'o', 'top-node': 't', 'filter-node-name': 'c' }),
      reopen({ driver: 'file', 'node-name': 'f', filename: 'o.qcow2', 'read-only': ro }, { driver: 'qcow2', 'node-name': 'o', backing: null, file: 'f' }),
    ];
    // nothing else fails: 7.2 aborts there (reopen-frees-frozen-filter-aborts)
    expect(run(images, steps(false)).seen.at(-1)).toBe('frozen');
    // the writer on a read-only file is met at the refresh, before 7.2 frees the filter
    expect(run(images, steps(true)).seen.at(-1)).toBe('read-only | frozen');
  });

  it("a node its parent links to twice inherits read-only from the link queued last: QEMU's child order, either allowed (fuzz seed 22)", () => {
    const { seen } = run([qcow2('a.qcow2')], [
      add({ driver: 'qcow2', 'node-name': 'p', file: { driver: 'file', filename: 'a.qcow2' }, backing: { driver: 'qcow2', 'node-name': 'b', file: { driver: 'file', filename: 'a.qcow2' } }, 'read-only': true }),
      reopen({ driver: 'qcow2', 'node-name': 'p', 'read-only': true, backing: 'b', file: 'b' }),
      // refused, and its rollback puts the backing link back at the head of p's children: it is queued first next
      reopen({ driver: 'qcow2', 'node-name': 'p', file: 'b', backing: null }),
      reopen({ driver: 'qcow2', 'node-name': 'p', 'read-only': false, backing: 'b', file: 'b' }),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'read-only', 'ok | read-only']);
  });
});

describe('discard=unmap, which detect-zeroes=unmap needs (measured on 7.2.22)', () => {
  const f = (extra: JsonObject = {}): JsonObject => ({ driver: 'file', 'node-name': 'f', filename: 't.qcow2', ...extra });
  const q = { driver: 'qcow2', 'node-name': 'q', file: f() };

  it('a nested child has it by default (bdrv_inherited_options), a blockdev-add node not', () => {
    const { seen } = run([qcow2('t.qcow2')], [
      add(q),
      reopen(f({ 'detect-zeroes': 'unmap' })),
      reopen({ ...q, file: 'f', 'detect-zeroes': 'unmap' }),
      add({ driver: 'raw', 'node-name': 'r', file: { driver: 'null-co', 'node-name': 'rn', 'detect-zeroes': 'unmap' } }),
      add({ driver: 'null-co', 'node-name': 'n', 'detect-zeroes': 'unmap' }),
    ]);
    expect(seen).toEqual(['ok', 'ok', 'invalid-param', 'ok', 'invalid-param']);
  });

  it('a reopen without discard keeps it; one through the parent sets it again unless the child states its own', () => {
    const { seen } = run([qcow2('t.qcow2')], [
      add(q),
      reopen({ ...q, file: f({ discard: 'ignore', 'detect-zeroes': 'unmap' }) }),
      reopen(f({ discard: 'ignore' })),
      reopen(f()),
      reopen(f({ 'detect-zeroes': 'unmap' })),
      reopen({ ...q, file: 'f' }),
      reopen(f({ 'detect-zeroes': 'unmap' })),
      reopen(f({ discard: 'ignore' })),
      reopen({ ...q, file: 'f' }),
      reopen(f({ 'detect-zeroes': 'unmap' })),
      add({ driver: 'null-co', 'node-name': 'n', discard: 'unmap' }),
      reopen({ driver: 'null-co', 'node-name': 'n' }),
      reopen({ driver: 'null-co', 'node-name': 'n', 'detect-zeroes': 'unmap' }),
    ]);
    expect(seen).toEqual(['ok', 'invalid-param', 'ok', 'ok', 'invalid-param', 'ok', 'ok', 'ok', 'ok', 'invalid-param', 'ok', 'ok', 'ok']);
  });
});
