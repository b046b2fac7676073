// `bgcheck qmp` as a process under hostile input (issue 14 items 2 and 3): deep nesting, a 130 MB line and a closed
// stdout end neither in a stack trace nor in a monitor that stops answering.
import { describe, expect, it } from 'vitest';
import { spawnCli, waitFor } from './cli-process.ts';

const CAPS = '{"execute":"qmp_capabilities"}\n';

describe('bgcheck qmp survives what crashed it (issue 14)', () => {
  it('a blockdev-add with file nested 20,000 deep: the nesting limit, then the next command', async () => {
    let file = '{"driver":"null-co"}';
    for (let i = 0; i < 20_000; i++) file = `{"driver":"raw","file":${file}}`;
    const p = spawnCli(['qmp']);
    p.child.stdin.end(`${CAPS}{"execute":"blockdev-add","arguments":${file}}\n{"execute":"query-jobs","id":"after"}\n`);
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"desc": "JSON nesting depth limit exceeded"');
    expect(p.out().trimEnd().split('\r\n').at(-1)).toBe('{"return": [], "id": "after"}');
    expect(p.err()).toBe('');
  }, 60_000);

  it('a 130 MB line: QEMU\'s 64 MiB token cap, in bounded memory (300 MB heap), then the next command', async () => {
    const p = spawnCli(['qmp'], { nodeArgs: ['--max-old-space-size=300'] });
    p.child.stdin.write(`${CAPS}{"execute":"query-jobs","id":"`);
    const chunk = Buffer.alloc(1 << 20, 'a');
    for (let i = 0; i < 130; i++) if (!p.child.stdin.write(chunk)) await new Promise((r) => p.child.stdin.once('drain', r));
    p.child.stdin.end('"}\n{"execute":"query-jobs","id":"after"}\n');
    expect(await p.exited).toBe(0);
    const lines = p.out().trimEnd().split('\r\n');
    expect(lines.filter((l) => l.includes('JSON token size limit exceeded'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('{"return": [], "id": "after"}');
  }, 180_000);

  it('a client that closes our stdout: a quiet exit 0, no EPIPE stack trace', async () => {
    const p = spawnCli(['qmp']);
    expect(await waitFor(() => p.out().includes('"QMP"'), 30_000)).toBe(true);
    p.child.stdout.destroy();
    for (let i = 0; i < 200 && p.child.exitCode === null; i++) {
      p.child.stdin.write('{"execute":"query-jobs"}\n'.repeat(200));
      await new Promise((r) => setTimeout(r, 20));
    }
    p.child.stdin.end();
    expect(await p.exited).toBe(0);
    expect(p.err()).not.toMatch(/EPIPE|Error/);
  }, 60_000);
});
