// Runs exported iotests under QEMU's own `check`, from a tree .ci/fetch-qemu-iotests.sh filled (QEMU 10.0.2's
// tests/qemu-iotests and python/, its tools, and a qemu-system-x86_64 wrapper): for the tests and for the README.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Iotest } from './iotest-python.ts';

export const IOTESTS_ROOT = process.env['BGCHECK_IOTESTS'] ?? join(homedir(), '.cache/bgcheck/qemu-10.0.2-iotests');

export function iotestsAvailable(root: string = IOTESTS_ROOT): boolean {
  return existsSync(join(root, 'src/tests/qemu-iotests/check')) && existsSync(join(root, 'qemu-system-x86_64'));
}

export type CheckStatus = 'pass' | 'fail' | 'not run' | 'missing';

export interface CheckRun {
  readonly status: ReadonlyMap<string, CheckStatus>;
  /** What `check` printed, stdout and stderr together. */
  readonly output: string;
}

/** `./check -FMT NAME...` with QSD_PROG chosen (the installed 7.2, or 10.0.2's); the tests are removed afterwards. */
export function runCheck(tests: readonly Iotest[], qsd: string, root: string = IOTESTS_ROOT): CheckRun {
  const dir = join(root, 'src/tests/qemu-iotests');
  const bin = join(root, 'bin');
  for (const t of tests) {
    writeFileSync(join(dir, 'tests', t.name), t.test, { mode: 0o755 });
    writeFileSync(join(dir, 'tests', `${t.name}.out`), t.out);
  }
  const env = {
    ...process.env,
    QEMU_PROG: join(root, 'qemu-system-x86_64'),
    QEMU_IMG_PROG: join(bin, 'qemu-img'),
    QEMU_IO_PROG: join(bin, 'qemu-io'),
    QEMU_NBD_PROG: join(bin, 'qemu-nbd'),
    QSD_PROG: qsd,
    // the tests run on Debian's python3; another first on PATH may lack what iotests imports
    PYTHON: '/usr/bin/python3',
  };
  const out: string[] = [];
  const status = new Map<string, CheckStatus>(tests.map((t) => [t.name, 'missing']));
  try {
    for (const format of [...new Set(tests.map((t) => t.format))]) {
      const names = tests.filter((t) => t.format === format).map((t) => t.name);
      const r = spawnSync('/usr/bin/python3', ['./check', `-${format}`, ...names], { cwd: dir, env, encoding: 'utf8', timeout: 600_000 });
      out.push(r.stdout, r.stderr);
      for (const line of r.stdout.split('\n')) {
        // the last column of `check`'s table: NAME  pass|fail|not run  [start] [end] ...
        const m = /^(\S+)\s+(pass|fail|not run)\s/.exec(line.replace(/^.*\r/, ''));
        if (m?.[1] !== undefined && status.has(m[1])) status.set(m[1], m[2] === 'pass' ? 'pass' : m[2] === 'fail' ? 'fail' : 'not run');
      }
    }
  } finally {
    for (const t of tests) for (const f of [t.name, `${t.name}.out`]) rmSync(join(dir, 'tests', f), { force: true });
  }
  return { status, output: out.join('') };
}
