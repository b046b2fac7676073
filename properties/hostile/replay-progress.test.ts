// Issue 14 item 7: a long replay says where it is (on stderr), and a fixture's length costs steps, not their square
// when the graph does not grow (bench/replay-scaling.ts measures the times).
import { describe, expect, it } from 'vitest';
import { stepProgress } from '../replay/step-progress.ts';
import { replayFixture } from '../replay/replay-fixture.ts';
import { flatFixture } from './long-fixtures.ts';

describe('replay progress', () => {
  it('is quiet for two seconds, then reports run and step every ten seconds (a line each, off a TTY)', () => {
    const lines: string[] = [];
    let now = 0;
    const p = stepProgress((s) => void lines.push(s), false, 'f.json', () => now);
    for (const [t, step] of [[500, 1], [2500, 2], [5000, 3], [12_600, 4]] as const) {
      now = t;
      p.step({ run: 0, step, total: 10 });
    }
    p.done();
    expect(lines).toEqual(['f.json: run 1, step 3/10, 3 s\n', 'f.json: run 1, step 5/10, 13 s\n']);
  });

  it('reports every step of every run it replays, in order', async () => {
    const seen: string[] = [];
    await replayFixture(flatFixture(3), { target: 'impl', runs: 2, onStep: ({ run, step, total }) => void seen.push(`${run}:${step}/${total}`) });
    expect(seen).toEqual(['0:0/6', '0:1/6', '0:2/6', '0:3/6', '0:4/6', '0:5/6', '1:0/6', '1:1/6', '1:2/6', '1:3/6', '1:4/6', '1:5/6']);
  });
});
