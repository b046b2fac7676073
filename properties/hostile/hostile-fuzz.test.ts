// The tool fuzzed with hostile input, at a modest count (bench/hostile-fuzz.ts runs 10,000 lines and 1,000 fixtures):
// no crash of the monitor or the fixture loader, and no difference from qemu-storage-daemon in parsing or dispatch.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../qmp/types.ts';
import { isQemuAvailable } from '../../qemu/available.ts';
import { fuzzFixtures, fuzzMonitorLines } from './monitor-fuzz.ts';
import { compareWithQemu } from './qemu-compare.ts';

const CASES = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));

describe('hostile-input fuzz of the tool (issue 14)', () => {
  it('300 malformed lines: the monitor never throws, writes only JSON objects and keeps answering', () => {
    const r = fuzzMonitorLines(300, 14);
    expect(r.examples).toEqual([]);
    expect([r.inputs, r.crashes]).toEqual([300, 0]);
  }, 120_000);

  it('100 malformed fixture files: loaded or refused, never a crash of load, check or replay', async () => {
    const bases = readdirSync(CASES).filter((f) => f.endsWith('.json')).sort().slice(0, 8).map((f) => JSON.parse(readFileSync(join(CASES, f), 'utf8')) as JsonValue);
    const r = await fuzzFixtures(bases, 100, 14);
    expect(r.examples).toEqual([]);
    expect([r.inputs, r.crashes]).toEqual([100, 0]);
    expect(r.loaded).toBeGreaterThan(10);
  }, 120_000);

  it.skipIf(!isQemuAvailable())('100 malformed lines answered as qemu-storage-daemon 7.2 answers them (needs QEMU)', async () => {
    const r = await compareWithQemu(100, 14);
    expect(r.differences.filter((d) => d.kind === 'monitor')).toEqual([]);
  }, 180_000);
});
