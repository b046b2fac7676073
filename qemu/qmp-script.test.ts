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

  it('creates each image and sends each command once, alone, with its own id', () => {
    const s = qmpScript(scenario, { title: ['finding: perm-conflict'] });
    expect(s).toContain(`"$QEMU_IMG" create -q -f qcow2 'a b.qcow2' 1048576`);
    expect(s).toContain('# finding: perm-conflict');
    const steps = s.split('\n').flatMap((l) => {
      const m = /^step (\d+) '(.*)'$/.exec(l);
      return m ? [{ n: Number(m[1]), cmd: JSON.parse((m[2] ?? '').replace(/'\\''/g, "'")) as { execute: string; id: string } }] : [];
    });
    expect(steps.map((x) => x.n)).toEqual([0, 1, 2]);
    expect(steps.map((x) => x.cmd.execute)).toEqual(['blockdev-add', 'blockdev-add', 'blockdev-add']);
    expect(steps.map((x) => x.cmd.id)).toEqual(['bgcheck-step-0', 'bgcheck-step-1', 'bgcheck-step-2']);
  });

  it.skipIf(!isQemuAvailable())('runs on real QEMU and shows the conflict (install qemu-utils and qemu-system-common to run)', () => {
    const out = execFileSync('bash', ['-c', qmpScript(scenario)], { encoding: 'utf8' });
    expect(out).toContain("Permission conflict on node 'f'");
  });
});
