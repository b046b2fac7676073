// Replay time against fixture length, measured in one run: a graph that stays small (each step constant work) and
// one that grows by a node a step (each step checks the whole graph). Usage: npx tsx bench/replay-scaling.ts [--steps 1000]
import { parseArgs } from 'node:util';
import { replayFixture } from '../properties/replay/replay-fixture.ts';
import { flatFixture, growingFixture } from '../properties/hostile/long-fixtures.ts';
import type { Fixture } from '../properties/fixtures/fixture.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '1000' } } });
const n = Number(values.steps);

async function seconds(f: Fixture): Promise<number> {
  const t = performance.now();
  await replayFixture(f, { target: 'impl', runs: 1 });
  return (performance.now() - t) / 1000;
}

for (const [what, make] of [['flat', (s: number) => flatFixture(s / 2)], ['growing', growingFixture]] as const) {
  const a = await seconds(make(n));
  const b = await seconds(make(2 * n));
  process.stdout.write(`${what}: ${n} steps ${a.toFixed(2)} s, ${2 * n} steps ${b.toFixed(2)} s, ratio ${(b / a).toFixed(2)}\n`);
}
