// The served-data invariants hold on the impl as QEMU 7.2, and each can fail: the quirk status-stops-at-filters breaks
// a filter's block status; answers forged onto real steps break alignment and preserved content.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../qmp/scenario.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import { ImplTarget } from '../run/impl-target.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { PLAIN } from '../run/target.ts';
import { takeSnapshot } from '../snapshot.ts';
import { contentPreserved } from './content-preserved.ts';
import { filterServesItsChild } from './filter-serves-its-child.ts';
import type { Invariant, StepFacts } from './invariant.ts';
import { statusExtentsAligned } from './status-extents-aligned.ts';

const obs = (execute: 'observe-block-status' | 'observe-checksum', node: string): QmpCommand => ({ execute, arguments: { 'node-name': node } });
const add = (args: Record<string, JsonValue>): QmpCommand => ({ execute: 'blockdev-add', arguments: args });

const CHAIN: Scenario = {
  images: [
    { filename: 'base.qcow2', format: 'qcow2', size: 1048576, writes: [{ offset: 0, length: 65536, pattern: 0xaa }] },
    { filename: 'top.qcow2', format: 'qcow2', size: 1048576, backing: 'base.qcow2', writes: [{ offset: 131072, length: 512, pattern: 0xbb }] },
  ],
  commands: [
    add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'top.qcow2' } }),
    add({ driver: 'blkdebug', 'node-name': 'dbg', image: 'top' }),
    add({ driver: 'blkdebug', 'node-name': 'al', align: 4096, image: 'top' }),
    obs('observe-block-status', 'dbg'),
    obs('observe-block-status', 'top'),
    obs('observe-block-status', 'al'),
    obs('observe-checksum', 'top'),
    { execute: 'block-stream', arguments: { 'job-id': 's', device: 'top' } },
    obs('observe-checksum', 'top'),
  ],
};

/** The scenario's step facts on the impl, as a session collects them. */
async function facts(s: Scenario): Promise<StepFacts[]> {
  const impl = new ImplTarget();
  await impl.start(s.images, PLAIN);
  const out: StepFacts[] = [];
  for (const command of s.commands) {
    const before = takeSnapshot(impl.env);
    const outcome = impl.execute(command);
    out.push({ before, after: takeSnapshot(impl.env), command, outcome });
  }
  return out;
}

function judge(inv: Invariant, steps: readonly StepFacts[], part: 'message' | 'key' = 'message'): string[] {
  if (inv.kind !== 'history') throw new Error(`${inv.name} is not a history invariant`);
  return steps.flatMap((_, i) => inv.check(steps.slice(0, i + 1)).map((v) => (part === 'key' ? (v.key ?? '') : v.message)));
}

const forged = (s: StepFacts, value: JsonValue): StepFacts => ({ ...s, outcome: { kind: 'ok', value } });

// blkverify answers its raw child's block status but is as long as its test child (corpus served-34)
const BLKVERIFY: Scenario = {
  images: [{ filename: 't.raw', format: 'raw', size: 65536, writes: [{ offset: 4096, length: 8192, pattern: 0x11 }] }],
  commands: [
    add({ driver: 'blkverify', 'node-name': 'v', test: { driver: 'file', 'node-name': 't', filename: 't.raw' }, raw: { driver: 'null-co', 'node-name': 'r' } }),
    obs('observe-block-status', 'v'),
    obs('observe-block-status', 'r'),
  ],
};

describe('served-data invariants', () => {
  it('hold on the impl as QEMU 7.2', async () => {
    const steps = await facts(CHAIN);
    for (const inv of [filterServesItsChild, statusExtentsAligned, contentPreserved]) expect(judge(inv, steps)).toEqual([]);
    expect(await checkScenario(CHAIN, { variant: PLAIN, graphs: false })).toMatchObject({ kind: 'passes' });
  });

  it('filter-serves-its-child catches block status that stops at filters (quirk status-stops-at-filters)', async () => {
    const v = await checkScenario(CHAIN, { variant: { quirks: ['status-stops-at-filters'], fixes: [] }, graphs: false });
    // the signature's `what`: the filter, its child's driver, and the first differing part (one unallocated extent)
    expect(v).toMatchObject({ kind: 'finding', finding: { detector: 'filter-serves-its-child', step: 4, signature: 'filter-serves-its-child/observe-block-status/-/blkdebug>qcow2:extents' } });
  });

  it('filter-serves-its-child compares a blkverify with its raw child over the blkverify\'s length only', async () => {
    const steps = await facts(BLKVERIFY);
    expect(judge(filterServesItsChild, steps)).toEqual([]);
    const own = [{ start: 0, length: 65536, depth: 1, present: true, zero: false, data: true }];
    expect(judge(filterServesItsChild, [steps[0]!, forged(steps[1]!, own), steps[2]!])).toEqual([expect.stringContaining("blkverify filter 'v' serves block status")]);
    // the raw child reaching further than the blkverify is no difference; one extent cut short is
    const r = [{ start: 0, length: 1073741824, depth: 0, present: false, zero: false, data: false }];
    expect(judge(filterServesItsChild, [steps[0]!, forged(steps[1]!, [{ ...r[0]!, length: 65536 }]), forged(steps[2]!, r)])).toEqual([]);
    const cut = [{ ...r[0]!, length: 32768 }, { ...r[0]!, start: 32768, length: 32768, zero: true }];
    expect(judge(filterServesItsChild, [steps[0]!, forged(steps[1]!, cut), forged(steps[2]!, r)], 'key')).toEqual(['blkverify>null-co:extents']);
  });

  it('status-extents-aligned catches an extent off a blkdebug align', async () => {
    const steps = (await facts(CHAIN)).slice(0, 6);
    const bad = [{ start: 0, length: 512, depth: 2, present: true, zero: false, data: true }, { start: 512, length: 1048064, depth: 0, present: false, zero: true, data: false }];
    expect(judge(statusExtentsAligned, [...steps.slice(0, 5), forged(steps[5]!, bad)])).toEqual([expect.stringContaining("'al' (align 4096) serves an extent at 0+512")]);
    expect(judge(statusExtentsAligned, [...steps.slice(0, 5), forged(steps[5]!, bad)], 'key')).toEqual(['blkdebug:align-4096:end']);
  });

  it('content-preserved catches a stream that changed what the device serves, and makes no claim across a resize', async () => {
    const steps = await facts(CHAIN);
    const last = forged(steps[8]!, { length: 1048576, sha256: 'f'.repeat(64) });
    expect(judge(contentPreserved, [...steps.slice(0, 8), last])).toEqual([expect.stringContaining("node 'top' served")]);
    expect(judge(contentPreserved, [...steps.slice(0, 8), last], 'key')).toEqual(['qcow2:after-block-stream']);
    const resize: StepFacts = { ...steps[7]!, command: { execute: 'block_resize', arguments: { 'node-name': 'top', size: 2097152 } } };
    expect(judge(contentPreserved, [...steps.slice(0, 7), resize, last])).toEqual([]);
  });

  it('content-preserved judges nothing read through a null-co without read-zeroes (QEMU serves the buffer as it was)', async () => {
    const backed = (readZeroes: boolean): Scenario => ({
      images: [{ filename: 'top.qcow2', format: 'qcow2', size: 1048576, writes: [{ offset: 131072, length: 512, pattern: 0xbb }] }],
      commands: [
        add({ driver: 'null-co', 'node-name': 'z', size: 1048576, 'read-zeroes': readZeroes, 'read-only': true }),
        add({ driver: 'qcow2', 'node-name': 'top', file: { driver: 'file', filename: 'top.qcow2' }, backing: 'z' }),
        obs('observe-checksum', 'top'),
        obs('observe-checksum', 'top'),
      ],
    });
    for (const readZeroes of [true, false]) {
      const steps = await facts(backed(readZeroes));
      // QEMU's answers, as a build under test gives them: two different checksums of the same node
      const first = forged(steps[2]!, { length: 1048576, sha256: 'd'.repeat(64) });
      const last = forged(steps[3]!, { length: 1048576, sha256: 'e'.repeat(64) });
      expect(judge(contentPreserved, [...steps.slice(0, 2), first, last]).length).toBe(readZeroes ? 1 : 0);
    }
  });
});
