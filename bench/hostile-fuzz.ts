// Issue 14's measurement: the tool fuzzed with hostile input. Malformed QMP lines into the monitor, malformed fixture
// files into the loader and replay (0 crashes is the target), and where QEMU is installed, a sample of the lines
// beside qemu-storage-daemon 7.2 with every difference listed.
// Usage: npx tsx bench/hostile-fuzz.ts [--lines 10000] [--fixtures 1000] [--qemu 500] [--seed 1]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isQemuAvailable } from '../qemu/available.ts';
import { fuzzFixtures, fuzzMonitorLines } from '../properties/hostile/monitor-fuzz.ts';
import { compareWithQemu } from '../properties/hostile/qemu-compare.ts';
import type { JsonValue } from '../qmp/types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000' }, fixtures: { type: 'string', default: '1000' }, qemu: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
const say = (s: string): void => void process.stdout.write(`${s}\n`);
const clip = (s: string): string => (s.length > 240 ? `${s.slice(0, 237)}...` : s);

let t = performance.now();
const lines = fuzzMonitorLines(Number(values.lines), seed);
say(`monitor: ${lines.inputs} malformed lines, ${lines.crashes} crashes (${((performance.now() - t) / 1000).toFixed(1)} s)`);
for (const e of lines.examples) say(`  ${clip(e)}`);

const cases = join(ROOT, 'shrunk-cases');
const bases = readdirSync(cases).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(cases, f), 'utf8')) as JsonValue);
t = performance.now();
const fixtures = await fuzzFixtures(bases, Number(values.fixtures), seed);
say(`fixtures: ${fixtures.inputs} malformed fixture files, ${fixtures.loaded} of them valid and replayed, ${fixtures.crashes} crashes (${((performance.now() - t) / 1000).toFixed(1)} s)`);
for (const e of fixtures.examples) say(`  ${clip(e)}`);

if (Number(values.qemu) > 0 && isQemuAvailable()) {
  t = performance.now();
  const r = await compareWithQemu(Number(values.qemu), seed);
  const monitor = r.differences.filter((d) => d.kind === 'monitor');
  say(`beside qemu-storage-daemon: ${r.lines} lines (${r.skipped} left out as unsafe), ${r.differences.length} differ: ${monitor.length} in parsing or dispatch, ${r.differences.length - monitor.length} in what a query returns (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  for (const d of r.differences) {
    say(`  [${d.kind}] ${clip(JSON.stringify(d.input))}`);
    for (const q of d.qemu) say(`    qemu:    ${clip(q)}`);
    for (const m of d.monitor) say(`    monitor: ${clip(m)}`);
  }
} else say('beside qemu-storage-daemon: skipped (QEMU not installed or --qemu 0)');
process.exitCode = lines.crashes + fixtures.crashes > 0 ? 1 : 0;
