// Issue 5's table: for each quirk and seed, does `bgcheck fuzz --quirk Q --seed S --time T` find it from scratch?
// Runs one campaign at a time (one core); a finding is the quirk's when its fixture passes without the quirk.
// Usage: npx tsx bench/find-quirks.ts [--seeds 5] [--time 60] [--quirk Q]... [--keep DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { QUIRKS } from '../impl/behaviour.ts';
import { parseFixture } from '../properties/fixtures/parse-fixture.ts';
import { replayFixture } from '../properties/replay/replay-fixture.ts';
import { PLAIN } from '../properties/run/target.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, time: { type: 'string', default: '60' }, quirk: { type: 'string', multiple: true }, keep: { type: 'string' } } });
const seeds = Number(values.seeds);
const quirks = values.quirk ?? [...QUIRKS];

interface Trial {
  readonly seed: number;
  readonly found: { readonly seconds: number; readonly steps: number; readonly detector: string; readonly file: string } | undefined;
  readonly stepsPerSecond: number;
}

interface Summary {
  readonly findings: readonly { readonly signature: string; readonly invariant: string; readonly steps: number; readonly file: string; readonly foundAfterSeconds: number }[];
  readonly stepsPerSecond: number;
}

async function trial(quirk: string, seed: number): Promise<Trial> {
  const out = values.keep ? join(values.keep, `${quirk}-${seed}`) : mkdtempSync(join(tmpdir(), 'bgcheck-quirk-'));
  mkdirSync(out, { recursive: true });
  // the stored fixtures make known findings known, as in a developer's checkout
  for (const f of readdirSync(join(ROOT, 'shrunk-cases')).filter((x) => x.endsWith('.json'))) copyFileSync(join(ROOT, 'shrunk-cases', f), join(out, f));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/bgcheck.js'), 'fuzz', '--quirk', quirk, '--seed', String(seed), '--time', String(values.time), '--out', out, '--json'], { encoding: 'utf8' });
  const summary = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as Summary;
  let found: Trial['found'];
  for (const f of summary.findings) {
    const path = f.file.startsWith('/') ? f.file : join(ROOT, f.file);
    const parsed = parseFixture(JSON.parse(readFileSync(path, 'utf8')), path);
    if (!parsed.ok) continue;
    // the quirk's finding: gone when the same scenario runs without the quirk
    const plain = await replayFixture(parsed.fixture, { target: 'impl', variant: PLAIN, runs: 1 });
    if ('checks' in plain && plain.checks.every((c) => c.observed === 'passes')) {
      found = { seconds: f.foundAfterSeconds, steps: f.steps, detector: f.invariant, file: path };
      break;
    }
  }
  if (!values.keep) rmSync(out, { recursive: true, force: true });
  return { seed, found, stepsPerSecond: summary.stepsPerSecond };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? (s[(s.length - 1) / 2] ?? NaN) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};

const rows: string[] = ['| quirk | seeds found | median s to find | shrunk length | detector | steps/s |', '|---|---|---|---|---|---|'];
for (const quirk of quirks) {
  const trials: Trial[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const t = await trial(quirk, seed);
    trials.push(t);
    process.stderr.write(`${quirk} seed ${seed}: ${t.found ? `found after ${t.found.seconds} s (${t.found.detector}, ${t.found.steps} steps) ${t.found.file}` : 'not found'}\n`);
  }
  const hits = trials.flatMap((t) => (t.found ? [t.found] : []));
  const detectors = [...new Set(hits.map((h) => h.detector))].join(', ');
  const lengths = hits.map((h) => h.steps).join(', ');
  rows.push(`| ${quirk} | ${hits.length}/${seeds} | ${median(hits.map((h) => h.seconds)).toFixed(1)} | ${lengths} | ${detectors} | ${median(trials.map((t) => t.stepsPerSecond))} |`);
}
process.stdout.write(rows.join('\n') + '\n');
