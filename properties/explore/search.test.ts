import { describe, expect, it } from 'vitest';
import { PLAIN } from '../run/target.ts';
import { expandPool } from './expand-pool.ts';
import type { ExploreJob } from './expander.ts';
import { parseUniverse } from './parse-universe.ts';
import { search, startPoint } from './search.ts';
import type { Universe } from './universe.ts';

/** Two raw images, two node names; a command adds a file node over either image, another deletes a node. */
function addDel(renaming: boolean): Universe {
  const r = parseUniverse(
    {
      format: 1,
      name: 'add-del',
      version: '1',
      images: [
        { filename: 'a.raw', format: 'raw', size: 65536 },
        { filename: 'b.raw', format: 'raw', size: 65536 },
      ],
      nodeNames: ['n0', 'n1'],
      commands: [
        { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': '$fresh', filename: '$image' } },
        // spelling a pool name (in a choice no state ever offers) makes the universe treat names unalike
        { execute: 'blockdev-del', arguments: { 'node-name': renaming ? '$node' : { '$one-of': ['$node', { $restate: '$node:quorum', set: { x: 'n0' } }] } } },
      ],
    },
    'add-del.json',
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.universe;
}

async function explore(u: Universe, depth: number): Promise<{ readonly rows: number[][]; readonly distinct: number }> {
  const job: ExploreJob = { universe: u, variant: PLAIN, check: 'model' };
  const pool = expandPool(job, 1);
  const start = await startPoint(pool, []);
  if (typeof start === 'string') throw new Error(start);
  const r = await search(start, { job, depth, pool, untilFound: false, store: () => Promise.reject(new Error('no finding expected')) });
  await pool.close();
  expect(r.errors).toEqual([]);
  return { rows: r.point.stats.depths.map((d) => [d.depth, d.expanded, d.transitions, d.distinct]), distinct: r.point.seen.size };
}

describe('breadth-first search', () => {
  it('counts every transition and every new state, merging states up to renaming of node names', async () => {
    // depth 1: a(n0), b(n0): 2 transitions, 2 states. depth 2: from a: +a, +b, del n0 (back to empty); from b: +a
    // (the same as a,b with the names swapped), +b, del: 6 transitions, 3 new states {a,a} {a,b} {b,b}. depth 3: the pool
    // is used up, so only the two deletions of each, every one back at a state of depth 1: 6 transitions, none new.
    const r = await explore(addDel(true), 3);
    expect(r.rows).toEqual([
      [1, 1, 2, 2],
      [2, 2, 6, 3],
      [3, 3, 6, 0],
    ]);
    expect(r.distinct).toBe(1 + 2 + 3);
  });

  it('without renaming, the same graph under other names is another state', async () => {
    // depth 2 keeps {n0:b, n1:a} apart from {n0:a, n1:b}; depth 3 reaches {n1:a} and {n1:b}, new without renaming
    const r = await explore(addDel(false), 3);
    expect(r.rows).toEqual([
      [1, 1, 2, 2],
      [2, 2, 6, 4],
      [3, 4, 8, 2],
    ]);
    expect(r.distinct).toBe(1 + 2 + 4 + 2);
  });

  it('stops where no state is left', async () => {
    const u = addDel(true);
    const job: ExploreJob = { universe: { ...u, commands: u.commands.slice(0, 1) }, variant: PLAIN, check: 'none' };
    const pool = expandPool(job, 1);
    const start = await startPoint(pool, []);
    if (typeof start === 'string') throw new Error(start);
    const r = await search(start, { job, depth: 5, pool, untilFound: false, store: () => Promise.reject(new Error('none')) });
    await pool.close();
    // two adds fill the pool: {a} {b}, then {a,a} {a,b} {b,b}, then nothing applies
    expect([r.end, r.point.depth, r.point.seen.size]).toEqual(['exhausted', 3, 6]);
  });
});
