import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE_PATH } from './default-universe.ts';
import { loadUniverse, parseUniverse } from './parse-universe.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

type Json = Record<string, unknown>;

function good(): Json {
  return {
    format: 1,
    name: 'tiny',
    version: '1',
    images: [{ filename: 'a.raw', format: 'raw', size: 65536 }],
    nodeNames: ['n0', 'n1'],
    jobIds: ['j0'],
    exportIds: [],
    commands: [
      { kind: 'blockdev-add:file', execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': '$fresh', filename: '$image' } },
      { execute: 'block-commit', arguments: { 'job-id': '$fresh-job', device: '$node:root,has-chain', 'top-node': { '$one-of': ['$absent', '$below:device'] } } },
    ],
  };
}

const cmd = (u: Json, i: number): Json => (u['commands'] as Json[])[i] ?? {};
const args = (u: Json, i: number): Json => cmd(u, i)['arguments'] as Json;

describe('universe files', () => {
  it('reads a well-formed universe, the kind defaulting to the command', () => {
    const r = parseUniverse(good(), 'u.json');
    expect(r.ok && r.universe.commands.map((c) => c.kind)).toEqual(['blockdev-add:file', 'block-commit']);
    expect(r.ok && r.universe.symmetric).toBe(true);
  });

  it('reads the default universe', async () => {
    const r = await loadUniverse(DEFAULT_UNIVERSE_PATH);
    expect(r.ok ? [r.universe.name, r.universe.symmetric] : r.error.message).toEqual(['default', true]);
  });

  const bad: readonly [string, (u: Json) => void, string][] = [
    ['format', (u) => void (u['format'] = 2), 'u.json: format: expected 1'],
    ['extra field', (u) => void (u['seed'] = 1), 'u.json: seed: unexpected field'],
    ['name', (u) => void (u['name'] = ''), 'u.json: name: expected a non-empty string'],
    ['image', (u) => void ((u['images'] as Json[])[0]!['size'] = -1), 'u.json: images[0].size: expected a non-negative integer'],
    ['node name', (u) => void (u['nodeNames'] = ['n0', '0bad']), "u.json: nodeNames[1]: '0bad' is not a valid QEMU id"],
    ['name twice', (u) => void (u['jobIds'] = ['n1']), "u.json: jobIds[0]: 'n1' is used twice"],
    ['no names', (u) => void (u['nodeNames'] = []), 'u.json: nodeNames: expected at least one name'],
    ['no commands', (u) => void (u['commands'] = []), 'u.json: commands: expected a non-empty list'],
    ['execute', (u) => void (cmd(u, 0)['execute'] = 'drive-backup'), "u.json: commands[0].execute: 'drive-backup' is no command the impl implements"],
    ['when', (u) => void (cmd(u, 0)['when'] = ['always']), "u.json: commands[0].when[0]: unknown condition 'always'"],
    ['arguments', (u) => void (cmd(u, 0)['arguments'] = ['x']), 'u.json: commands[0].arguments: expected an object'],
    ['placeholder', (u) => void (args(u, 0)['filename'] = '$imag'), "u.json: commands[0].arguments.filename: unknown placeholder '$imag'"],
    ['node filter', (u) => void (args(u, 1)['device'] = '$node:roots'), "u.json: commands[1].arguments.device: unknown node filter 'roots'"],
    ['job status', (u) => void (args(u, 1)['job-id'] = '$job:done'), "u.json: commands[1].arguments.job-id: unknown job status 'done'"],
    [
      'sibling',
      (u) => void (args(u, 1)['top-node'] = { '$one-of': ['$below:base'] }),
      "u.json: commands[1].arguments.top-node.$one-of[0]: '$below:base' names 'base', which is no earlier member of the same object",
    ],
    ['absent in a list', (u) => void (args(u, 0)['filename'] = ['$absent']), "u.json: commands[0].arguments.filename[0]: '$absent' only leaves out an object member"],
    ['directive', (u) => void (args(u, 0)['filename'] = { $any: [1] }), 'u.json: commands[0].arguments.filename.$any: unknown directive'],
    ['empty one-of', (u) => void (args(u, 0)['filename'] = { '$one-of': [] }), 'u.json: commands[0].arguments.filename.$one-of: expected a non-empty list'],
    ['size-of', (u) => void (args(u, 0)['size'] = { '$size-of': 'filename', times: -1 }), 'u.json: commands[0].arguments.size.times: expected a number >= 0'],
  ];
  for (const [what, spoil, message] of bad) {
    it(`names the file and the field: ${what}`, () => {
      const u = good();
      spoil(u);
      const r = parseUniverse(u, 'u.json');
      expect(r.ok ? 'accepted' : r.error.message).toContain(message);
    });
  }

  it('does not merge states up to renaming when a template spells a pool name', () => {
    const u = good();
    args(u, 0)['node-name'] = 'n0';
    const r = parseUniverse(u, 'u.json');
    expect(r.ok && r.universe.symmetric).toBe(false);
  });

  it('a literal starting with $ is written $$', () => {
    const u = good();
    args(u, 0)['filename'] = '$$weird';
    const r = parseUniverse(u, 'u.json');
    const t = r.ok ? r.universe.commands[0]?.arguments : undefined;
    expect(t?.t === 'object' && t.members.find((m) => m.key === 'filename')?.value).toEqual({ t: 'literal', value: '$weird' });
  });

  const dir = tempDirs('bgcheck-universe-test-', 'all')();

  it('names an unreadable file and a file that is not JSON', async () => {
    const missing = await loadUniverse(join(dir, 'nope.json'));
    expect(missing.ok ? '' : missing.error.message).toMatch(/nope\.json: cannot read it/);
    writeFileSync(join(dir, 'bad.json'), '{"format": 1,');
    const bad = await loadUniverse(join(dir, 'bad.json'));
    expect(bad.ok ? '' : bad.error.message).toMatch(/bad\.json: \(top level\): not JSON/);
  });
});
