// Exported iotests under QEMU 10.0.2's own `check` (.ci/fetch-qemu-iotests.sh fetches the tree): a crash 10.0.2
// still has (0001) fails there, one it fixed (0014) passes there and fails on the installed 7.2.
import { describe, expect, it } from 'vitest';
import { loadFixtureFile } from '../properties/fixtures/load-fixtures.ts';
import { isQemuAvailable } from '../qemu/available.ts';
import { iotestCheck } from './iotest-checks.ts';
import { iotestPython, type Iotest } from './iotest-python.ts';
import { IOTESTS_ROOT, iotestsAvailable, runCheck } from './iotest-runner.ts';
import { join } from 'node:path';

async function exported(file: string): Promise<Iotest> {
  const f = await loadFixtureFile(file);
  if (!f.ok) throw new Error(f.error.message);
  const c = await iotestCheck(f.fixture);
  if (!c.ok) throw new Error(c.message);
  return iotestPython(f.fixture, c.check);
}

const QSD_10 = join(IOTESTS_ROOT, 'bin/qemu-storage-daemon');
const skip = !iotestsAvailable() || process.getuid?.() !== 0;

describe.skipIf(skip)(`exported iotests under QEMU 10.0.2's check (${IOTESTS_ROOT}; skipped without it: run .ci/fetch-qemu-iotests.sh as root)`, () => {
  it('0001 (an empty reopen list) still kills 10.0.2: the test fails; 0014 no longer does: it passes', async () => {
    const t1 = await exported('shrunk-cases/0001-qemu-abort-blockdev-reopen.json');
    const t14 = await exported('shrunk-cases/0014-qemu-abort-bdrv-parent-drained-end-single-no-poll.json');
    const run = runCheck([t1, t14], QSD_10);
    expect(run.status.get(t1.name), run.output).toBe('fail');
    expect(run.output).toContain('bdrv_reopen_multiple: Assertion');
    expect(run.status.get(t14.name), run.output).toBe('pass');
  });

  it.skipIf(!isQemuAvailable())('0014 fails on the installed QEMU 7.2, which has the bug', async () => {
    const t14 = await exported('shrunk-cases/0014-qemu-abort-bdrv-parent-drained-end-single-no-poll.json');
    const run = runCheck([t14], '/usr/bin/qemu-storage-daemon');
    expect(run.status.get(t14.name), run.output).toBe('fail');
    expect(run.output).toContain('parent_quiesce_counter > 0');
  });
});
