// block-commit reaches intermediate commits onto read-only bases opened from image headers, and names automatically
// named nodes only where one target runs the commands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import type { JsonObject } from '../../qmp/types.ts';
import { CheckSession } from '../run/check-session.ts';
import { PLAIN } from '../run/target.ts';
import type { GenState } from './command-kind.ts';
import { blockCommit } from './kinds/block-commit.ts';

const IMAGES: readonly ImageSpec[] = [
  { filename: 'c0-0.qcow2', format: 'qcow2', size: 1048576 },
  { filename: 'c0-1.qcow2', format: 'qcow2', size: 1048576, backing: 'c0-0.qcow2', backing_fmt: 'qcow2' },
  { filename: 'c0-2.qcow2', format: 'qcow2', size: 1048576, backing: 'c0-1.qcow2', backing_fmt: 'qcow2' },
];

/** A qcow2 over the top of a three-image header chain: its two backing nodes are read-only and automatically named. */
async function state(autoNames: boolean, namedMiddle = false): Promise<GenState> {
  const opened = await CheckSession.open(IMAGES, { variant: PLAIN, graphs: false });
  if (!opened.ok) throw new Error(opened.error.message);
  const mid = { driver: 'qcow2', 'node-name': 'mid', file: { driver: 'file', filename: 'c0-1.qcow2' } };
  const r = await opened.session.step({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'c0-2.qcow2' }, ...(namedMiddle ? { backing: mid } : {}) } });
  expect(r.outcome.kind).toBe('ok');
  const s = { snapshot: opened.session.snapshot, images: IMAGES, autoNames };
  await opened.session.close();
  return s;
}

const commits = (s: GenState): JsonObject[] =>
  fc.sample(blockCommit.generate(s), { seed: 1, numRuns: 300 }).flatMap((c) => (typeof c.arguments === 'object' && c.arguments !== null && !Array.isArray(c.arguments) ? [c.arguments as JsonObject] : []));

describe('block-commit generation', () => {
  it('offers the header-opened backing nodes as top, mostly with a base below them', async () => {
    const s = await state(true);
    expect(blockCommit.applicable(s)).toBe(true);
    const args = commits(s);
    const tops = args.map((a) => a['top-node']);
    expect(tops.filter((t) => typeof t === 'string' && t.startsWith('#block')).length).toBeGreaterThan(args.length / 3);
    // top and base the same (refused at once) only now and then
    expect(args.filter((a) => a['top-node'] !== undefined && a['top-node'] === a['base-node']).length).toBeLessThan(args.length / 10);
  });

  it('never names an automatically named node where another target numbers them otherwise', async () => {
    // the chain below the qcow2 has no given name: nothing to commit by name
    expect(blockCommit.applicable(await state(false))).toBe(false);
    const args = commits(await state(false, true));
    // the named middle node over its header's read-only backing: an intermediate commit onto a read-only base
    expect(args.filter((a) => a['top-node'] === 'mid').length).toBeGreaterThan(args.length / 3);
    const named = args.flatMap((a) => Object.values(a).filter((v) => typeof v === 'string' && v.startsWith('#block')));
    expect(named).toEqual([]);
  });
});
