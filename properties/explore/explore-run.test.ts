import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { qemuDefectSignatures } from '../fixtures/known-signatures.ts';
import { projectKnown } from '../signature/project-known.ts';
import type { Variant } from '../run/target.ts';
import { readCheckpoint } from './checkpoint.ts';
import { DEFAULT_UNIVERSE_PATH } from './default-universe.ts';
import type { ExploreJob } from './expander.ts';
import { EXPLORE_TIMING_FIELDS, exploreSummary } from './explore-report.ts';
import { runExplore } from './explore-run.ts';
import type { ExploreRunOptions } from './explore-run.ts';
import { loadUniverse, parseUniverse } from './parse-universe.ts';
import type { SearchPoint, SearchProgress } from './search.ts';
import type { Universe } from './universe.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const tempDir = tempDirs('bgcheck-explore-test-', 'all');

/** A qcow2 with or without `backing: null`, file and raw nodes over whatever exists, deletions and reopens. */
function small(): Universe {
  const r = parseUniverse(
    {
      format: 1,
      name: 'small',
      version: '1',
      images: [
        { filename: 'solo.qcow2', format: 'qcow2', size: 65536 },
        { filename: 'r.raw', format: 'raw', size: 65536 },
      ],
      nodeNames: ['n0', 'n1', 'n2'],
      commands: [
        { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': '$fresh', filename: '$image' } },
        { execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': '$fresh', file: { driver: 'file', filename: 'solo.qcow2' }, backing: { '$one-of': ['$absent', null] } } },
        { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': '$fresh', file: '$node' } },
        { execute: 'blockdev-reopen', arguments: { options: [{ $restate: '$node', set: { 'read-only': true } }] } },
        { execute: 'blockdev-del', arguments: { 'node-name': '$node' } },
      ],
    },
    'small.json',
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.universe;
}

const STALE: Variant = { quirks: ['stale-child-options'], fixes: [] };

interface Outcome {
  readonly summary: Record<string, unknown>;
  readonly fixtures: Record<string, string>;
  readonly point: SearchPoint;
}

function options(job: ExploreJob, out: string, more: Partial<ExploreRunOptions> = {}): ExploreRunOptions {
  return { job, depth: 3, workers: 1, outDir: out, tool: 'test', shrinkBudgetMs: 30_000, untilFound: false, known: qemuDefectSignatures(), ...more };
}

async function outcome(job: ExploreJob, out: string, more: Partial<ExploreRunOptions> = {}): Promise<Outcome> {
  const run = await runExplore(options(job, out, more));
  if (!run.ok) throw new Error(run.message);
  const summary: Record<string, unknown> = { ...exploreSummary(job.universe, run.result, 0, out) };
  for (const k of EXPLORE_TIMING_FIELDS) delete summary[k];
  const fixtures = Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  return { summary, fixtures, point: run.result.point };
}

describe('bgcheck explore runs', () => {
  const job: ExploreJob = { universe: small(), variant: STALE, check: 'model' };

  it('gives the same states, counts and fixtures twice, and with 1 or 2 workers', async () => {
    const once = await outcome(job, tempDir());
    // the stale options show first on the qcow2 add, then on a raw added over such a qcow2, then on its reopen
    expect(Object.keys(once.fixtures)).toEqual([
      '0001-options-match-graph-blockdev-add-qcow2-qcow2-stale-backing-null.json',
      '0002-options-match-graph-blockdev-add-raw-raw-child-ref-file.json',
      '0003-options-match-graph-blockdev-reopen-qcow2-qcow2-stale-backing-null.json',
    ]);
    expect(once.summary['findings']).toMatchObject([{ depth: 1, steps: 1, shortest: true, minimal: true }, { depth: 2 }, { depth: 2 }]);
    const twice = await outcome(job, tempDir());
    const workers = await outcome(job, tempDir(), { workers: 2 });
    expect(twice.summary).toEqual(once.summary);
    expect(twice.fixtures).toEqual(once.fixtures);
    expect(workers.summary).toEqual(once.summary);
    expect(workers.fixtures).toEqual(once.fixtures);
    expect([...workers.point.seen]).toEqual([...once.point.seen]);
  });

  it('a search resumed from its checkpoint, mid-depth or one depth short, ends as one run does', async () => {
    const whole = await outcome(job, tempDir());
    const out = tempDir();
    const cp = join(tempDir(), 'explore.checkpoint');
    let batches = 0;
    const interrupt = (_: SearchProgress): void => {
      // a crash after the fourth batch: the checkpoint holds the third
      if (++batches === 4) throw new Error('interrupted');
    };
    await expect(runExplore(options(job, out, { checkpoint: { path: cp, everyMs: 0 }, onProgress: interrupt }))).rejects.toThrow('interrupted');
    const saved = await readCheckpoint(cp, job);
    if (!saved.ok) throw new Error(saved.message);
    expect(saved.point.depth > 0 || saved.point.index > 0).toBe(true);
    const resumed = await outcome(job, out, { resume: saved.point, checkpoint: { path: cp, everyMs: 0 } });
    expect(resumed.summary).toEqual(whole.summary);
    expect(resumed.fixtures).toEqual(whole.fixtures);
    // a finished depth-2 search taken one depth further
    const out2 = tempDir();
    const cp2 = join(tempDir(), 'two.checkpoint');
    await outcome(job, out2, { depth: 2, checkpoint: { path: cp2, everyMs: 60_000 } });
    const two = await readCheckpoint(cp2, job);
    if (!two.ok) throw new Error(two.message);
    const deeper = await outcome(job, out2, { resume: two.point });
    expect(deeper.summary).toEqual(whole.summary);
    expect(deeper.fixtures).toEqual(whole.fixtures);
  });

  it('refuses a checkpoint written for another universe, variant or judge', async () => {
    const cp = join(tempDir(), 'c.checkpoint');
    await outcome(job, tempDir(), { depth: 1, checkpoint: { path: cp, everyMs: 0 } });
    const other = await readCheckpoint(cp, { ...job, variant: { quirks: [], fixes: [] } });
    expect(other.ok ? 'read' : other.message).toMatch(/c\.checkpoint: of: written for small@1 with other content, quirks, fixes or --check/);
    // a damaged one names the field
    const body = JSON.parse(readFileSync(cp, 'utf8')) as { point: { stats: { depths: { ok: number }[] }; frontier: { path: unknown[] }[] } };
    body.point.stats.depths[0]!.ok = -1;
    writeFileSync(cp, JSON.stringify(body));
    const damaged = await readCheckpoint(cp, job);
    expect(damaged.ok ? 'read' : damaged.message).toMatch(/c\.checkpoint: point\.stats\.depths\[0\]\.ok: expected an integer >= 0$/);
    body.point.stats.depths[0]!.ok = 0;
    body.point.frontier[0]!.path = [{ arguments: {} }];
    writeFileSync(cp, JSON.stringify(body));
    const noCommand = await readCheckpoint(cp, job);
    expect(noCommand.ok ? 'read' : noCommand.message).toMatch(/point\.frontier\[0\]\.path\[0\]\.execute: expected a non-empty string$/);
  });

  it('finds the quirks of one and two commands at their fixtures’ depths in the default universe', async () => {
    const u = await loadUniverse(DEFAULT_UNIVERSE_PATH);
    if (!u.ok) throw new Error(u.error.message);
    const stored = (await loadFixtureDir(join(import.meta.dirname, '../../shrunk-cases'))).flatMap((l) => (l.ok ? [l.fixture] : []));
    for (const [quirk, depth, signature] of [
      ['stale-child-options', 1, 'options-match-graph/blockdev-add/qcow2/qcow2:stale-backing-null'],
      ['first-non-filter-only', 2, 'disagreement/block_resize/-/impl-error[unsupported]-model-ok'],
    ] as const) {
      const variant = { quirks: [quirk], fixes: [] };
      // the quirk's own fixture is left out of what is known: the search must find it again
      const { signatures: known } = await projectKnown(stored.filter((f) => !f.expect.reproduces.quirks.includes(quirk)), variant);
      const r = await outcome({ universe: u.universe, variant, check: 'model' }, tempDir(), { depth, untilFound: true, known: [...known] });
      expect(r.summary['findings'], quirk).toMatchObject([{ signature, depth }]);
    }
  });
});
