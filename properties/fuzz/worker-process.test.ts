// `fuzz --workers N` runs worker processes: a signal to the whole process group (a terminal's Ctrl-C) stops every
// worker at its next step with what it found stored, and a worker that dies is a clear error, not a hang.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { spawnCli, waitFor } from '../hostile/cli-process.ts';
import { PLAIN } from '../run/target.ts';
import { runWorkerCampaign } from './worker-campaign.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-workers-test-');

/** The processes `pid` started (Linux: /proc/PID/task/PID/children). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const fixtures = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json'));

// seed 1 with this quirk finds something in its first runs (--store: the out dir, so nothing stored is known)
const CAMPAIGN = ['fuzz', '--seed', '1', '--time', '120', '--quirk', 'mirror-allows-loops', '--workers', '2'];

describe('fuzz worker processes', () => {
  it('SIGINT to the whole process group: every worker stops at its next step, findings stored, exit 130', async () => {
    const out = tempDir();
    const p = spawnCli([...CAMPAIGN, '--out', out, '--store', out], { detached: true });
    const pid = p.child.pid ?? 0;
    expect(await waitFor(() => fixtures(out).length > 0, 90_000)).toBe(true);
    const workers = childrenOf(pid);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    // as a terminal's Ctrl-C: the parent and both workers get it at once
    process.kill(-pid, 'SIGINT');
    expect(await p.exited).toBe(130);
    expect(p.out()).toMatch(/^stopped early by SIGINT: findings so far are stored$/m);
    expect(p.out()).toMatch(/^new findings: [1-9]/m);
    expect(p.err()).not.toMatch(/before its summary/);
    expect((await loadFixtureDir(out)).every((l) => l.ok)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(workers.filter(alive)).toEqual([]);
  }, 180_000);

  it('a worker that dies is a clear error: the others stop and store, the campaign ends with exit 1', async () => {
    const out = tempDir();
    const p = spawnCli(['fuzz', '--seed', '5', '--time', '120', '--workers', '2', '--out', out]);
    const pid = p.child.pid ?? 0;
    expect(await waitFor(() => childrenOf(pid).length >= 2, 60_000)).toBe(true);
    // a worker under way (its modules loaded): killed outright
    await new Promise((r) => setTimeout(r, 3000));
    const victim = childrenOf(pid)[1] ?? 0;
    process.kill(victim, 'SIGKILL');
    expect(await p.exited).toBe(1);
    expect(p.out()).toMatch(new RegExp(`fuzz worker \\d \\(pid ${victim}\\) was killed by SIGKILL before its summary`));
    // the surviving worker's runs are counted
    expect(p.out()).toMatch(/^bgcheck fuzz: seed 5, [1-9]\d* runs/m);
  }, 180_000);

  it('a worker that cannot start says so', async () => {
    const out = tempDir();
    // no CPU 4095 here: taskset refuses, so the worker never runs
    const r = await runWorkerCampaign({ seed: 1, runs: 2, timeMs: undefined, variant: PLAIN, check: 'none', outDir: out, maxSteps: 5, shrinkBudgetMs: 1000, known: [], tool: 'test', workers: 1, cores: [4095] });
    expect(r.errors).toEqual([expect.stringMatching(/^fuzz worker 0 \(pid \d+\) exited with code 1 before its summary$/)]);
    expect(r.stats.runs).toBe(0);
  });
});
