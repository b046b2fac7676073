import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-explore-cli-test-');

/** One qcow2 image; add a qcow2 node over it with `backing: null`, or delete a node. */
function universeFile(dir: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'u.json');
  const u = {
    format: 1,
    name: 'cli',
    version: '2',
    images: [{ filename: 'solo.qcow2', format: 'qcow2', size: 65536 }],
    nodeNames: ['n0', 'n1'],
    commands: [
      { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': '$fresh', file: { driver: 'file', filename: 'solo.qcow2' }, backing: null } },
      { execute: 'blockdev-del', arguments: { 'node-name': '$node' } },
    ],
    ...extra,
  };
  writeFileSync(file, JSON.stringify(u));
  return file;
}

describe('bgcheck explore', () => {
  it('exits 0 when nothing new shows, with statistics per depth and kind and one JSON line', async () => {
    const dir = tempDir();
    const r = await runCli(['explore', '--depth', '2', '--universe', universeFile(dir), '--out', join(dir, 'out'), '--json']);
    expect([r.code, r.err.match(/depth 2 done \(1 states expanded\)  distinct states 2 /) !== null]).toEqual([0, true]);
    expect(r.out).toMatch(/^bgcheck explore: universe cli@2, depth 2: every sequence explored$/m);
    expect(r.out).toMatch(/^depth +expanded +transitions +ok +errors +distinct +findings$/m);
    expect(r.out).toMatch(/^ +blockdev-del +\d+/m);
    const json = JSON.parse(r.out.trimEnd().split('\n').pop() ?? '') as Record<string, unknown>;
    // add (n0); then add again (the image is locked: an error, back where it was) or delete (back to empty)
    expect([json['transitions'], json['distinctStates'], json['findings']]).toEqual([3, 2, []]);
  });

  it('exits 1 and stores a fixture when a quirk shows', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    // --store: an empty store, so the quirk's stored fixture (0023) does not make the finding known
    const r = await runCli(['explore', '--depth', '1', '--universe', universeFile(dir), '--out', out, '--store', dir, '--quirk', 'stale-child-options']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}options-match-graph\/blockdev-add\/qcow2\/qcow2:stale-backing-null \(depth 1\) -> .*0001-options-match-graph-blockdev-add-qcow2-qcow2-stale-backing-null\.json$/m);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual(['0001-options-match-graph-blockdev-add-qcow2-qcow2-stale-backing-null.json']);
  });

  it('refuses bad usage up front with exit 2, naming the file and the field', async () => {
    const dir = tempDir();
    const u = universeFile(dir);
    const cases: readonly [readonly string[], RegExp][] = [
      [['--depth', '0'], /--depth: expected an integer from 1 to 50, got '0'/],
      [['--depth', 'deep'], /--depth: expected an integer/],
      [['--workers', '0'], /--workers: expected an integer from 1 to 64/],
      [['--universe', join(dir, 'missing.json')], /--universe: .*missing\.json: cannot read it/],
      [['--universe', universeFile(tempDir(), { nodeNames: ['n0', 'n0'] })], /--universe: .*u\.json: nodeNames\[1\]: 'n0' is used twice/],
      [['--out', u], /--out .*u\.json: not a directory/],
      [['--quirk', 'nope'], /the impl has no quirk or fix 'nope'/],
      [['--resume', join(dir, 'none.checkpoint')], /--resume: .*none\.checkpoint: cannot read it/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['explore', '--universe', u, '--out', join(dir, 'out'), ...args]);
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
  });
});
