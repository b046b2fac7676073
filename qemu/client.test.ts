import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPeerLost, type QmpOutcome } from '../qmp/types.ts';
import { isQemuAvailable } from './available.ts';
import { openQemuTarget, type QemuTarget } from './target.ts';

const FAKE_PEER = fileURLToPath(new URL('./fixtures/fake-qmp-peer.mjs', import.meta.url));

async function open(argv?: readonly string[], timeoutMs?: number): Promise<QemuTarget> {
  const r = await openQemuTarget([], { ...(argv ? { argv } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return r.target;
}

const fake = (...args: string[]): readonly string[] => [process.execPath, FAKE_PEER, ...args];

function returnOf(r: QmpOutcome): unknown {
  return 'return' in r ? r.return : r;
}

describe('QMP client against a fake peer', () => {
  it('pairs replies with commands, skips non-JSON lines and keeps events aside', async () => {
    const t = await open(fake('junk'));
    expect(returnOf(await t.endpoint.execute({ execute: 'drive-mirror' }))).toEqual({ echo: 'drive-mirror' });
    expect(await t.endpoint.execute({ execute: 'fail', id: 7 })).toEqual({ error: { class: 'GenericError', desc: "Node 'x' not found" }, id: 7 });
    // the fake peer sends one event per command: qmp_capabilities, drive-mirror, fail
    expect(t.endpoint.drainEvents().map((e) => e.event)).toEqual(['JOB_STATUS_CHANGE', 'JOB_STATUS_CHANGE', 'JOB_STATUS_CHANGE']);
    expect(t.endpoint.drainEvents()).toEqual([]);
    await t.endpoint.close();
    expect(existsSync(t.workDir)).toBe(false);
  });

  it('reports a peer that dies as qemu-crash with its stderr, then stays lost', async () => {
    const t = await open(fake('crash-on=blockdev-reopen'));
    const r = await t.endpoint.execute({ execute: 'blockdev-reopen' });
    expect(isPeerLost(r) && r.lost.kind).toBe('qemu-crash');
    expect(isPeerLost(r) && r.lost.message).toBe("QMP peer closed; stderr: fake-peer: block.c:2838: Assertion `!child->frozen' failed.\n");
    const again = await t.endpoint.execute({ execute: 'query-jobs' });
    expect(isPeerLost(again) && again.lost.kind).toBe('qemu-crash');
    await t.endpoint.close();
    expect(existsSync(t.workDir)).toBe(false);
  });

  it('reports a peer that stops answering as qemu-hang', async () => {
    // the deadline also covers the fake peer's start-up (a node process), which takes over 300 ms on a loaded machine
    const t = await open(fake('hang-on=block-stream'), 3000);
    const r = await t.endpoint.execute({ execute: 'block-stream' });
    expect(isPeerLost(r) && r.lost.kind).toBe('qemu-hang');
    await t.endpoint.close();
  });

  it('reports a program that cannot start as a typed failure', async () => {
    const r = await openQemuTarget([], { argv: ['/nonexistent/qemu-storage-daemon'] });
    expect(!r.ok && r.error.code).toBe('qemu-start-failed');
  });
});

describe.skipIf(!isQemuAvailable())('QMP client against qemu-storage-daemon 7.2 (skipped: qemu-storage-daemon/qemu-img not installed)', () => {
  it('creates images, adds a node and shows it in the block graph', async () => {
    const r = await openQemuTarget([{ filename: 'a.qcow2', format: 'qcow2', size: 1048576 }]);
    if (!r.ok) throw new Error(r.error.message);
    const { endpoint, workDir } = r.target;
    const add = await endpoint.execute({
      execute: 'blockdev-add',
      arguments: { driver: 'qcow2', 'node-name': 'a', file: { driver: 'file', 'node-name': 'a-file', filename: 'a.qcow2' } },
    });
    expect(add).toEqual({ return: {} });
    const bad = await endpoint.execute({ execute: 'blockdev-del', arguments: { 'node-name': 'nope' } });
    expect(bad).toEqual({ error: { class: 'GenericError', desc: "Failed to find node with node-name='nope'" } });
    const g = returnOf(await endpoint.execute({ execute: 'x-debug-query-block-graph' }));
    expect(JSON.stringify(g)).toContain('"name":"a-file"');
    await endpoint.close();
    expect(existsSync(workDir)).toBe(false);
  });

  it('reports QEMU aborting (commit-06: reopen drops a frozen named commit filter) as qemu-crash', async () => {
    const qcow2 = (filename: string, backing?: string) => ({ filename, format: 'qcow2' as const, size: 1048576, ...(backing ? { backing } : {}) });
    const r = await openQemuTarget([qcow2('base.qcow2'), qcow2('mid.qcow2', 'base.qcow2'), qcow2('top.qcow2', 'mid.qcow2')]);
    if (!r.ok) throw new Error(r.error.message);
    const { endpoint } = r.target;
    const add = (name: string, backing: string | null, ro: boolean) =>
      endpoint.execute({
        execute: 'blockdev-add',
        arguments: { driver: 'qcow2', 'node-name': name, file: { driver: 'file', 'node-name': `${name}-file`, filename: `${name}.qcow2` }, backing, 'read-only': ro },
      });
    await add('base', null, true);
    await add('mid', 'base', true);
    await add('top', 'mid', false);
    const commit = { 'job-id': 'j', device: 'top', 'top-node': 'mid', 'base-node': 'base', 'filter-node-name': 'ct', 'auto-finalize': false };
    expect(await endpoint.execute({ execute: 'block-commit', arguments: commit })).toEqual({ return: {} });
    const reopen = await endpoint.execute({
      execute: 'blockdev-reopen',
      arguments: { options: [{ driver: 'qcow2', 'node-name': 'top', file: 'top-file', backing: 'base' }] },
    });
    expect(isPeerLost(reopen) && reopen.lost.kind).toBe('qemu-crash');
    expect(isPeerLost(reopen) && reopen.lost.stderr).toContain("Assertion `!child->frozen' failed.");
    await endpoint.close();
  });

  it('reports an image qemu-img refuses as a typed failure', async () => {
    const r = await openQemuTarget([{ filename: 'a.qcow2', format: 'qcow2', size: 1024, cluster_size: 3 }]);
    expect(!r.ok && r.error.code).toBe('image-create-failed');
  });
});
