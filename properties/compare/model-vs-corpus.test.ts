// The model against what QEMU 7.2 itself printed for the conformance corpus: ok/error of every step and every graph,
// up to a step QEMU crashed on or a command the model does not have; the documented defects must still differ.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { ModelTarget } from '../run/model-target.ts';
import { modelJudges } from './not-judged.ts';

const CORPUS = new URL('../../impl/conformance/', import.meta.url);
const UNMODELLED = ['drive-mirror', 'block-job-set-speed', 'query-block-jobs', 'qmp_capabilities'];
/** Scenarios showing a 7.2 defect the model does not share (model/README.md), by the first step that differs. */
const DEFECTS: Readonly<Record<string, number>> = {
  'core-gen-09-force-share-combos': 13,
  'job-stream-15-device-under-cor-filter': 6,
  'core-diff-01-blkdebug-empty-perm-lists': 1,
  'core-diff-02-reopen-same-node-twice-ref-and-dict': 2,
  'core-diff-05-reopen-qcow2-file-then-fail-dangling-data-file-CRASH': 3,
  'core-diff-18-reopen-requeued-child-keeps-old-options': 4,
  // image data, which the model leaves out (model/README.md): a truncated qcow2 header
  'core-diff-07-resize-raw-cuts-qcow2-header': 3,
  // a qcow2 cut below its refcounts: the mirror's first write corrupts it, bs->drv = NULL
  'core-diff-20-mirror-into-cut-qcow2-ejects-target': 4,
  'core-diff-21-reopen-ejected-qcow2-CRASH': 4,
  // block_resize allocating on a qcow2 cut below its refcounts (bs->drv = NULL); zero writes growing qcow2 files
  'core-diff-33-qcow2-cut-refcounts-resize-allocates-on-metadata': 12,
  'core-diff-34-qcow2-zero-writes-allocate-l2-and-grow-file': 24,
  'core-diff-40-qcow2-cut-refcounts-shrink': 13,
  // a qcow2 whose file a reopen swapped for zeros: shrinking reads a zero refblock (bs->drv = NULL), or cannot
  // rewrite its refcount table through a raw size window (ENOSPC), or allocates cluster 0 for an L2 table
  'core-diff-52-qcow2-swapped-file-shrink-refblock-zeros': 3,
  'core-diff-71-qcow2-swapped-to-raw-window-shrink-enospc': 3,
  'core-diff-72-qcow2-swapped-to-zeros-discard-allocates-cluster-0': 3,
  'core-diff-73-qcow2-swapped-file-through-filter-or-raw-shrink': 3,
  'core-diff-77-qcow2-swapped-to-null-co-discard-allocates-cluster-0': 3,
  'core-diff-81-qcow2-file-under-snapshot-overlay-shrink': 3,
  'core-diff-83-mirror-into-qcow2-whose-file-is-snapshot-overlay': 4,
  // a mirror's first write corrupts a qcow2 target cut below its refcounts (the job fails, bs->drv = NULL)
  'core-diff-53-snapshot-overlay-driver-gone-CRASH': 6,
  // the same corruption through a quorum child fails the mirror's first write, or (vote won) its flush
  'core-diff-61-mirror-into-quorum-over-cut-qcow2-fails': 5,
  'core-diff-69-mirror-quorum-child-corrupted-flush-no-medium': 5,
  // an active commit's zero write past a short layer's end into a base cut below its refcounts
  'core-diff-74-active-commit-short-layer-tail-zero-write': 7,
  // a node above a corrupted one has no medium: job starts refuse it
  'core-diff-76-job-device-above-corrupted-node-no-medium': 4,
  'core-diff-78-reopen-queues-children-of-driverless-node-CRASH': 4,
  // a stream's copy of zeros is a zero write: the qcow2 device allocates its L2 table and its file grows
  'core-diff-68-stream-zero-copy-grows-qcow2-file': 5,
};

interface Expected {
  readonly steps: readonly { readonly ok: boolean; readonly crashed?: boolean; readonly error?: string }[];
  readonly graphs?: readonly NormalizedGraph[];
}

/** The first step where the model differs from QEMU's recording, or undefined. */
async function firstDifference(name: string): Promise<{ step: number; why: string } | undefined> {
  const read = (dir: string): unknown => JSON.parse(readFileSync(new URL(`${dir}/${name}.json`, CORPUS), 'utf8'));
  const scenario = read('scenarios') as { images: readonly ImageSpec[]; commands: readonly QmpCommand[] };
  const expected = read('expected') as Expected;
  const model = new ModelTarget();
  await model.start(scenario.images, { quirks: [], fixes: [] });
  for (const [i, cmd] of scenario.commands.entries()) {
    const want = expected.steps[i];
    if (!want || want.crashed === true || UNMODELLED.includes(cmd.execute)) return undefined;
    if (!modelJudges(cmd)) continue;
    const got = model.execute(cmd);
    if ((got.kind === 'ok') !== want.ok) return { step: i, why: `${cmd.execute}: QEMU ${want.ok ? 'ok' : `error ${want.error ?? ''}`}, model ${got.kind}` };
    const graph = expected.graphs?.[i];
    const diff = graph ? diffGraphs(graph, model.graph()) : [];
    if (diff.length > 0) return { step: i, why: `${cmd.execute}: ${diff.slice(0, 3).join('; ')}` };
  }
  return undefined;
}

const names = readdirSync(new URL('scenarios/', CORPUS)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

describe('the model agrees with QEMU 7.2 on the conformance corpus', () => {
  it('on every step and graph, except the documented defects', async () => {
    const found: Record<string, number> = {};
    const unexplained: string[] = [];
    for (const name of names) {
      const d = await firstDifference(name);
      if (d === undefined) continue;
      if (DEFECTS[name] !== undefined) found[name] = d.step;
      else unexplained.push(`${name} step ${d.step}: ${d.why}`);
    }
    expect(unexplained).toEqual([]);
    expect(found).toEqual(DEFECTS);
  });
});
