import { describe, expect, it } from 'vitest';
import { runPool } from './pool.ts';

describe('runPool', () => {
  it('runs every numbered task once, N at a time, and stops when told', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await runPool(3, (n) => n < 10, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      running--;
    });
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    const started: number[] = [];
    await runPool(2, () => true, async (n, c) => {
      started.push(n);
      if (n === 3) c.stop();
      await Promise.resolve();
    });
    expect(started.length).toBeLessThanOrEqual(5);
  });
});
