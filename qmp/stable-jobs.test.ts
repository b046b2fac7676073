import { describe, expect, it } from 'vitest';
import { settleJobs, type JobsAnswer } from './stable-jobs.ts';
import type { JsonValue, PeerLost } from './types.ts';

/** Answers the lists in turn, the last one for ever, and counts the questions. */
function asker(...lists: (readonly JsonValue[] | PeerLost)[]): { ask: () => Promise<JobsAnswer>; asked: () => number } {
  let n = 0;
  const ask = async (): Promise<JobsAnswer> => {
    const a = lists[Math.min(n++, lists.length - 1)] ?? [];
    return Array.isArray(a) ? { jobs: a } : { lost: a as PeerLost };
  };
  return { ask, asked: () => n };
}

const running = [{ id: 'j', status: 'running' }];
const ready = [{ id: 'j', status: 'ready' }];

describe('settleJobs', () => {
  it('asks until every job rests and answers that list', async () => {
    const a = asker(running, running, ready);
    expect(await settleJobs(a.ask, { pollMs: 1 })).toEqual({ jobs: ready });
    expect(a.asked()).toBe(3);
  });

  it('asks nothing with a limit of 0', async () => {
    const a = asker(running);
    expect(await settleJobs(a.ask, { limitMs: 0 })).toEqual({ jobs: [] });
    expect(a.asked()).toBe(0);
  });

  it('goes on with the last list when the limit passes', async () => {
    const a = asker(running);
    expect(await settleJobs(a.ask, { limitMs: 30, pollMs: 1 })).toEqual({ jobs: running });
    expect(a.asked()).toBeGreaterThan(1);
  });

  it('stops at a lost peer', async () => {
    const lost: PeerLost = { kind: 'qemu-crash', message: 'gone', stderr: '' };
    expect(await settleJobs(asker(running, lost).ask, { pollMs: 1 })).toEqual({ lost });
  });

  it('does not count an entry without a status string as resting', async () => {
    const a = asker([{ id: 'j' }, 'ready'], ready);
    await settleJobs(a.ask, { pollMs: 1 });
    expect(a.asked()).toBe(2);
  });
});
