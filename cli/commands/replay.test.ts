import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const CASES = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));
const first = join(CASES, readdirSync(CASES).filter((f) => f.endsWith('.json')).sort()[0] ?? 'none.json');

const tempDir = tempDirs('bgcheck-replay-test-');

describe('bgcheck replay', () => {
  it('replays fixtures against their expectations (exit 0), with --json', async () => {
    const r = await runCli(['replay', first, '--json']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: as expected: no quirks or fixes: reproduces \(expected: reproduces\)/);
    const rows = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '[]') as { verdict: { kind: string } }[];
    expect(rows.map((x) => x.verdict.kind)).toEqual(['as-expected']);
  });

  it('exits 1 when a fixture no longer behaves as expected, 2 for bad files and unavailable variants', async () => {
    const dir = tempDir();
    const f = JSON.parse(readFileSync(first, 'utf8')) as { name: string; finding: { signature: string } };
    f.finding.signature = 'some-invariant/blockdev-add/qcow2';
    const wrong = join(dir, `${f.name}.json`);
    writeFileSync(wrong, JSON.stringify(f));
    const w = await runCli(['replay', wrong]);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(/UNEXPECTED: no quirks or fixes: shows qemu-abort\/-\/bdrv_reopen_multiple \(expected: reproduces\)/);
    writeFileSync(join(dir, 'bad.json'), '{}');
    const bad = await runCli(['replay', join(dir, 'bad.json')]);
    // problems with a file go to stderr, verdicts to stdout
    expect([bad.code, bad.out, bad.err]).toEqual([2, '', 'bad.json: bad fixture: bad.json: format: expected 3 (or 1, 2)\n']);
    const model = await runCli(['replay', first, '--target', 'model']);
    expect([model.code, model.out]).toEqual([0, `${f.name}.json: as expected: no quirks or fixes: reproduces (expected: reproduces)\n`]);
    const fixed = await runCli(['replay', first, '--fix', 'nope']);
    expect(fixed.out).toMatch(/not available: the impl has no unknown fix 'nope'/);
  });
});
