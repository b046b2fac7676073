// Issue 17's goal table: for each quirk and seed, how long bgcheck's loop (or the baseline) takes to find the quirk,
// with the project's stored 7.2 findings known. Stops at the finding; shrinking is not counted.
// Usage: npx tsx bench/find-quirks.ts [--seeds 1,2,7] [--cap 60] [--tool bgcheck|baseline] [--quirk Q]... [--json]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { QUIRKS } from '../impl/behaviour.ts';
import { loadFixtureDir } from '../properties/fixtures/load-fixtures.ts';
import { detectTrial } from './detect.ts';
import type { Tool } from './detect.ts';
import { quirkGoal } from './goals.ts';

const STORE = fileURLToPath(new URL('../shrunk-cases/', import.meta.url));
const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1,2,7' }, cap: { type: 'string', default: '60' }, tool: { type: 'string', default: 'bgcheck' }, quirk: { type: 'string', multiple: true }, json: { type: 'boolean' } },
});
const seeds = (values.seeds ?? '').split(',').map(Number);
const tool: Tool = values.tool === 'baseline' ? 'baseline' : 'bgcheck';
const store = (await loadFixtureDir(STORE)).flatMap((l) => (l.ok ? [l.fixture] : []));
const quirks = values.quirk ?? [...QUIRKS];
const cell = (ms: number | undefined, runs: number | undefined): string => (ms === undefined ? 'not found' : `${(ms / 1000).toFixed(1)} s (run ${runs ?? 0})`);

const rows = [`| quirk | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`, `|---|${seeds.map(() => '---|').join('')}`];
for (const q of quirks) {
  const goal = await quirkGoal(q, store);
  const cells: string[] = [];
  for (const seed of seeds) {
    const t = await detectTrial(tool, goal, seed, { capMs: Number(values.cap) * 1000, shrinkMs: 10_000, maxSteps: 40 });
    const d = t.found.get(q);
    cells.push(cell(d?.ms, d?.runs));
    const line = { quirk: q, seed, tool, found: d !== undefined, ms: d?.ms, runs: d?.runs, length: d?.length, totalRuns: t.runs, steps: t.steps, searchMs: Math.round(t.searchMs), errors: t.errors };
    process.stderr.write(`${values.json === true ? JSON.stringify(line) : `${q} seed ${seed}: ${cell(d?.ms, d?.runs)}, ${t.runs} runs, ${t.steps} steps`}\n`);
  }
  rows.push(`| ${q} | ${cells.join(' | ')} |`);
}
process.stdout.write(rows.join('\n') + '\n');
