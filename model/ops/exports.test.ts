import { describe, expect, it } from 'vitest';
import { add, cmd, raw, run } from '../test-steps.test-support.ts';

const server = cmd('nbd-server-start', { addr: { type: 'unix', data: { path: 's' } } });
const exp = (id: string, node: string, more = {}): ReturnType<typeof cmd> => cmd('block-export-add', { type: 'nbd', id, 'node-name': node, ...more });

describe('NBD exports and throttle groups', () => {
  it('an export takes R (and W when writable), shares all but resize, and needs a server and free names', () => {
    const { state, seen } = run([raw('a.raw')], [
      add({ driver: 'file', 'node-name': 'f', filename: 'a.raw', 'read-only': true }),
      exp('e0', 'f'),
      server,
      server,
      exp('e1', 'f', { writable: true }),
      exp('e1', 'f'),
      exp('e1', 'f'),
      exp('e2', 'f', { name: 'g' }),
      exp('e3', 'f', { name: 'f' }),
      cmd('block-export-del', { id: 'e2' }),
      cmd('block-export-del', { id: 'e2' }),
    ]);
    expect(seen).toEqual(['ok', 'not-found', 'ok', 'in-use', 'read-only', 'ok', 'duplicate', 'ok', 'duplicate', 'ok', 'not-found']);
    expect(state.bbs.map((b) => [b.perm, b.shared])).toEqual([[['consistent-read'], ['consistent-read', 'write', 'write-unchanged']]]);
  });

  it('a throttle group must exist for a throttle node, may be refused for its limits, is unique, and stays while a node names it', () => {
    const { seen } = run([raw('a.raw')], [
      cmd('object-add', { 'qom-type': 'throttle-group', id: 'g', limits: { 'iops-total': 10, 'iops-read': 5 } }),
      cmd('object-add', { 'qom-type': 'throttle-group', id: 'g' }),
      add({ driver: 'throttle', 'node-name': 't', 'throttle-group': 'g', file: { driver: 'file', filename: 'a.raw' } }),
      cmd('object-del', { id: 'g' }),
      cmd('blockdev-del', { 'node-name': 't' }),
      cmd('object-del', { id: 'g' }),
    ]);
    expect(seen).toEqual(['ok | invalid-param', 'duplicate', 'ok', 'in-use', 'ok', 'ok']);
  });
});
