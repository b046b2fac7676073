// Hostile fixture files (issue 14 items 2, 5, 7): refused with exit 2 naming the file and the field, while every other
// file is still replayed and a campaign still starts; numbers keep their digits through a load and a write.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process.ts';

import { loadFixtureFile } from '../fixtures/load-fixtures.ts';
import { replaceFixture } from '../fixtures/write-fixture.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const CASES = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));
const goodName = readdirSync(CASES).filter((f) => f.endsWith('.json')).sort()[0] ?? '';
const good = (): Record<string, unknown> => JSON.parse(readFileSync(join(CASES, goodName), 'utf8')) as Record<string, unknown>;

const tempDir = tempDirs('bgcheck-hostile-fixtures-');

/** A fixture whose first command's arguments nest `depth` levels deep. */
function deepFixture(dir: string, name: string, depth: number): string {
  const f = { ...good(), name };
  const text = JSON.stringify(f).replace('"arguments":{', `"arguments":{"deep":${'['.repeat(depth)}${']'.repeat(depth)},`);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, text);
  return path;
}

describe('hostile fixture files (issue 14)', () => {
  it('a fixture nested 6,000 deep: replay says which file and which field (exit 2) and still replays the others', async () => {
    const dir = tempDir();
    const deep = deepFixture(dir, '0001-deep', 6000);
    const r = await runCliProcess(['replay', deep, join(CASES, goodName)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^0001-deep\.json: bad fixture: 0001-deep\.json: scenario\.commands\[0\]\.arguments\.deep\[0\]\[0\].*: nested more than 1032 levels deep\n$/);
    expect(r.out).toMatch(new RegExp(`^${goodName}: as expected`));
  });

  it('a command nested past QEMU\'s 1024 levels is refused by the scenario check, naming the command', async () => {
    const dir = tempDir();
    const r = await runCliProcess(['replay', deepFixture(dir, '0001-deep', 1025)]);
    expect([r.code, r.err]).toEqual([2, "0001-deep.json: bad fixture: 0001-deep.json: scenario.commands[0].arguments: nested deeper than QEMU's JSON limit (1024 levels)\n"]);
  });

  it('fuzz starts with such a file in --out, names it and leaves it alone', async () => {
    const dir = tempDir();
    deepFixture(dir, '0001-deep', 6000);
    const r = await runCliProcess(['fuzz', '--runs', '2', '--seed', '1', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/bgcheck fuzz: ignoring 0001-deep\.json: /);
  });

  it('--out naming a file is exit 2 before any run, not a stack trace after the campaign', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await runCliProcess(['fuzz', '--runs', '5', '--quirk', 'stale-child-options', '--out', file]);
    expect([r.code, r.out, r.err]).toEqual([2, '', `bgcheck fuzz: --out ${file}: not a directory\n`]);
    const rec = await runCliProcess(['record', dir, '--out', file]);
    expect([rec.code, rec.err]).toEqual([2, `bgcheck record: --out ${file}: not a directory\n`]);
  });

  it.skipIf(!existsSync('/proc/self'))('--out under /proc is exit 2 at once (where a recursive mkdir loops forever)', async () => {
    const r = await runCliProcess(['fuzz', '--runs', '5', '--out', '/proc/bgcheck-no/such/dir']);
    expect([r.code, r.out, r.err]).toEqual([2, '', 'bgcheck fuzz: --out /proc/bgcheck-no/such/dir: cannot create it (ENOENT)\n']);
  });

  it('a wrong scenario field is named as the field', async () => {
    const dir = tempDir();
    for (const [scenario, field] of [[5, 'scenario: expected an object'], [{ images: [], commands: 3 }, 'scenario.commands: expected a list']] as const) {
      writeFileSync(join(dir, '0002-x.json'), JSON.stringify({ ...good(), name: '0002-x', scenario }));
      const r = await runCliProcess(['replay', join(dir, '0002-x.json')]);
      expect([r.code, r.err]).toEqual([2, `0002-x.json: bad fixture: 0002-x.json: ${field}\n`]);
    }
  });

  it('replay /nonexistent.json: its error on stderr, exit 2', async () => {
    const r = await runCliProcess(['replay', '/nonexistent.json']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(/^nonexistent\.json: bad fixture: nonexistent\.json: ENOENT/);
  });

  it('invalid UTF-8 in a fixture is refused, not read as U+FFFD', async () => {
    const dir = tempDir();
    const path = join(dir, '0003-x.json');
    // a byte that is not UTF-8 inside a string of an otherwise good file
    const bytes = Buffer.from(JSON.stringify({ ...good(), name: '0003-x', provenance: { ...(good()['provenance'] as object), path: 'p\u00e9' } }));
    bytes[bytes.indexOf('p\u00e9') + 1] = 0xff;
    writeFileSync(path, bytes);
    const r = await runCliProcess(['replay', path]);
    expect([r.code, r.err]).toEqual([2, '0003-x.json: bad fixture: 0003-x.json: not valid UTF-8\n']);
  });

  it('integers past 2^53 and doubles keep their form through a load and a write', async () => {
    const dir = tempDir();
    const f = { ...good(), name: '0004-x' };
    const text = JSON.stringify(f).replace('"arguments":{', '"arguments":{"size":9223372036854775807,"x":1.0,"y":18446744073709551615,');
    writeFileSync(join(dir, '0004-x.json'), text);
    const loaded = await loadFixtureFile(join(dir, '0004-x.json'));
    if (!loaded.ok) throw new Error(loaded.error.message);
    await replaceFixture(join(dir, '0004-x.json'), '0004-x', loaded.fixture);
    const written = readFileSync(join(dir, '0004-x.json'), 'utf8');
    expect(written).toMatch(/"size": 9223372036854775807,\n\s*"x": 1\.0,\n\s*"y": 18446744073709551615/);
  });
});
