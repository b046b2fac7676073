import { afterAll, describe, expect, it } from 'vitest';
import { Spawners, runTool, ToolError } from './spawner.ts';

const spawners = new Spawners();
afterAll(() => spawners.close());

const sh = (script: string): [string, string[]] => ['sh', ['-c', script]];

/** Both ways, so the helper's answers are held to execFile's own. */
async function both(file: string, args: string[], opts: Parameters<typeof runTool>[2]): Promise<[unknown, unknown]> {
  const settle = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      (v) => ({ ok: v }),
      (e: unknown) => (e instanceof ToolError ? { code: e.code, signal: e.signal, stdout: e.stdout, stderr: e.stderr, message: e.message } : { other: String(e) }),
    );
  return [await settle(runTool(file, args, opts, spawners)), await settle(runTool(file, args, opts))];
}

describe('runTool (QEMU tools from the spawner process)', () => {
  it('gives what execFile gives: output, exit code, signal, spawn errors', async () => {
    for (const [file, args] of [
      sh('printf "out\\n"; printf "err\\n" >&2'),
      sh('printf "half"; printf "bad\\n" >&2; exit 3'),
      sh('kill -9 $$'),
      ['/nonexistent/qemu-img', ['create']] as [string, string[]],
    ]) {
      const [helper, direct] = await both(file, args, { cwd: '/', timeout: 10_000 });
      expect(helper).toEqual(direct);
    }
  });

  it('runs in the given directory, in the environment its helpers started with (sent once, not with each tool)', async () => {
    process.env['BGCHECK_SPAWNER_TEST'] = 'seen';
    const own = new Spawners();
    try {
      expect(await runTool('sh', ['-c', 'pwd; echo $BGCHECK_SPAWNER_TEST'], { cwd: '/tmp', timeout: 10_000 }, own)).toEqual({ stdout: '/tmp\nseen\n', stderr: '' });
      delete process.env['BGCHECK_SPAWNER_TEST'];
      expect(await runTool('sh', ['-c', 'echo $BGCHECK_SPAWNER_TEST'], { cwd: '/tmp', timeout: 10_000 }, own)).toEqual({ stdout: 'seen\n', stderr: '' });
    } finally {
      delete process.env['BGCHECK_SPAWNER_TEST'];
      own.close();
    }
  });

  it('kills a tool past its timeout, and one whose signal aborts, at once', async () => {
    const t0 = performance.now();
    await expect(runTool('sleep', ['30'], { cwd: '/', timeout: 200, killSignal: 'SIGKILL' }, spawners)).rejects.toMatchObject({ signal: 'SIGKILL', killed: true });
    const abort = new AbortController();
    const running = runTool('sleep', ['30'], { cwd: '/', timeout: 60_000, signal: abort.signal }, spawners);
    setTimeout(() => abort.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'ABORT_ERR', signal: 'SIGTERM' });
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('runs tools side by side', async () => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => runTool('sleep', ['1'], { cwd: '/', timeout: 10_000 }, spawners)));
    expect(performance.now() - t0).toBeLessThan(3_500);
  });
});
