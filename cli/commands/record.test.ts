import { Command } from 'commander';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isQemuAvailable } from '../../qemu/available.ts';
import { registerRecord } from './record.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

async function runRecord(args: string[]): Promise<{ code: number; out: string }> {
  const program = new Command('bgcheck').exitOverride();
  let code = 0;
  registerRecord(program, (c) => {
    code = c;
  });
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    lines.push(String(s));
    return true;
  });
  try {
    await program.parseAsync(['node', 'bgcheck', 'record', ...args]);
  } finally {
    spy.mockRestore();
  }
  return { code, out: lines.join('') };
}

const tempDir = tempDirs('bgcheck-record-test-');

describe.skipIf(!isQemuAvailable())('bgcheck record (skipped: qemu-storage-daemon/qemu-img not installed)', () => {
  it('writes <name>.json per scenario and reports invalid ones', async () => {
    const src = tempDir();
    const out = join(tempDir(), 'nested', 'out');
    writeFileSync(
      join(src, 'one.json'),
      JSON.stringify({
        images: [{ filename: 'a.raw', format: 'raw', size: 1048576 }],
        commands: [
          { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'a', file: { driver: 'file', 'node-name': 'a-file', filename: 'a.raw' } } },
          { execute: 'blockdev-del', arguments: { 'node-name': 'a-file' } },
        ],
      }),
    );
    writeFileSync(join(src, 'two.json'), JSON.stringify({ images: [], commands: [{ execute: 3 }] }));
    writeFileSync(join(src, 'notes.txt'), 'not a scenario');
    const { code, out: text } = await runRecord([src, '--out', out]);
    expect(code).toBe(1);
    expect(text).toContain('one: 2 steps, 1 refused\n');
    expect(text).toContain('two: FAILED: two.json: commands[0].execute: expected a string\n');
    expect(readdirSync(out)).toEqual(['one.json']);
    const written = readFileSync(join(out, 'one.json'), 'utf8');
    expect(written.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(written) as { steps: unknown[]; graphs: unknown[] };
    expect(parsed.steps).toEqual([
      { execute: 'blockdev-add', ok: true },
      { execute: 'blockdev-del', ok: false, error: 'Node a-file is not owned by the monitor' },
    ]);
    expect(parsed.graphs).toHaveLength(2);
  });
});

describe('bgcheck record usage', () => {
  it('exits 2 for a directory it cannot read', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await runRecord(['/nonexistent/scenarios', '--out', tempDir()])).code).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
