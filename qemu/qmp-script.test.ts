// The paste-able script: correct quoting, every command once, and (with QEMU installed) it really runs.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../qmp/scenario.ts';
import { isQemuAvailable } from './available.ts';
import { qmpScript, shellQuote } from './qmp-script.ts';

const scenario: Scenario = {
  description: "two qcow2 nodes on one file: the second conflicts",
  images: [{ filename: 'a b.qcow2', format: 'qcow2', size: 1048576 }],
  commands: [
    { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: 'a b.qcow2' } },
    { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'a', file: 'f' } },
    { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'b', file: 'f' } },
  ],
};

describe('qmpScript', () => {
  it('quotes arguments only where the shell needs it', () => {
    expect(shellQuote('base.qcow2')).toBe('base.qcow2');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('creates each image and sends each command once, between capabilities and quit', () => {
    const s = qmpScript(scenario, { title: ['finding: perm-conflict'] });
    expect(s).toContain("qemu-img create -q -f qcow2 'a b.qcow2' 1048576");
    const qmp = s.slice(s.indexOf("<<'QMP'\n") + 8, s.lastIndexOf('\nQMP'));
    const cmds = qmp.split('\n').map((l) => (JSON.parse(l) as { execute: string }).execute);
    expect(cmds[0]).toBe('qmp_capabilities');
    expect(cmds.at(-1)).toBe('quit');
    expect(cmds.filter((c) => c === 'blockdev-add')).toHaveLength(3);
  });

  it.skipIf(!isQemuAvailable())('runs on real QEMU and shows the conflict (install qemu-utils and qemu-system-common to run)', () => {
    const out = execFileSync('bash', ['-c', qmpScript(scenario)], { encoding: 'utf8' });
    expect(out).toContain("Permission conflict on node 'f'");
  });
});
