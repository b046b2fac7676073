// Reach statistics name what a step's graph shows: shared children, read-only backings, filters over job nodes, exports.
import { describe, expect, it } from 'vitest';
import type { QmpCommand } from '../../qmp/types.ts';
import { CheckSession } from '../run/check-session.ts';
import { PLAIN } from '../run/target.ts';
import { situationsOf } from './reach.ts';
import type { Situation } from './reach.ts';
import { RunStats } from './run-stats.ts';

const add = (args: Record<string, unknown>): QmpCommand => ({ execute: 'blockdev-add', arguments: args as QmpCommand['arguments'] });

async function walk(commands: readonly QmpCommand[]): Promise<Situation[][]> {
  const opened = await CheckSession.open([], { variant: PLAIN, graphs: false });
  if (!opened.ok) throw new Error(opened.error.message);
  const s = opened.session;
  const seen: Situation[][] = [];
  for (const c of commands) {
    const before = s.snapshot;
    const r = await s.step(c);
    expect(r.finding).toBeUndefined();
    expect(r.outcome.kind, c.execute).toBe('ok');
    seen.push(situationsOf(before, s.snapshot, c, r.outcome));
  }
  await s.close();
  return seen;
}

describe('reach', () => {
  it('sees a shared child and an export on a filter, and nothing on an empty graph', async () => {
    const seen = await walk([
      add({ driver: 'null-co', 'node-name': 'n0' }),
      add({ driver: 'raw', 'node-name': 'r0', file: 'n0', 'read-only': true }),
      add({ driver: 'raw', 'node-name': 'r1', file: 'n0', 'read-only': true }),
      add({ driver: 'blkdebug', 'node-name': 'c0', image: 'r1', 'read-only': true }),
      { execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: 'nbd.sock' } } } },
      { execute: 'block-export-add', arguments: { type: 'nbd', id: 'x0', 'node-name': 'c0' } },
    ]);
    expect(seen[0]).toEqual([]);
    expect(seen[2]).toContain('shared-child');
    expect(seen[5]).toContain('export-on-filter');
    expect(seen[5]).not.toContain('job-running');
  });

  it('counts a situation once a run in runs, and at every step in steps', () => {
    const s = new RunStats();
    s.countReach(['shared-child']);
    s.countReach(['shared-child', 'job-running']);
    s.endRun();
    s.countReach(['shared-child']);
    s.endRun();
    expect(s.reachCounts()['shared-child']).toEqual({ runs: 2, steps: 3 });
    expect(s.reachCounts()['job-running']).toEqual({ runs: 1, steps: 1 });
    expect(s.reachCounts()['commit-onto-read-only-base']).toEqual({ runs: 0, steps: 0 });
  });
});
