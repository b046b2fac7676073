// Fuzzes the tool itself with hostile input: malformed lines into the QMP monitor, malformed fixture files into the
// loader and replay. A crash is an exception, a line the monitor writes that is not one JSON object, or a monitor
// that stops answering after the resynchronising bytes QEMU documents (0xFF, newline).
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockLayer } from '../../impl/block-layer.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { monitorBackend } from '../../impl/monitor-backend.ts';
import { parseQmpLine } from '../../qmp/json-stream.ts';
import { isRecord } from '../../qmp/json-value.ts';
import { QmpMonitor } from '../../qmp/monitor.ts';
import type { ImageSpec } from '../../qmp/image-spec.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { checkScenarioForQemu } from '../../qemu/sandbox/check-scenario.ts';
import { loadFixtureFile } from '../fixtures/load-fixtures.ts';
import { replayFixture } from '../replay/replay-fixture.ts';
import { hostileFixture } from './hostile-fixtures.ts';
import { hostileLine } from './hostile-lines.ts';

export const FUZZ_IMAGES: readonly ImageSpec[] = [
  { filename: 'a.qcow2', format: 'qcow2', size: 1048576 },
  { filename: 'b.raw', format: 'raw', size: 1048576 },
];

export interface FuzzStats {
  readonly inputs: number;
  readonly crashes: number;
  /** The first few crashes: what went in, what happened. */
  readonly examples: readonly string[];
}

const RESYNC = Uint8Array.from([0xff, 0x0a]);

/** A monitor over the impl that records what it writes; `exited` once it quit or (as QEMU would) aborted. */
function freshMonitor(): { monitor: QmpMonitor; lines: string[]; exited: () => boolean } {
  const lines: string[] = [];
  let exited = false;
  const monitor = new QmpMonitor(monitorBackend(new BlockLayer(MemoryImageStore.fromSpecs(FUZZ_IMAGES))), {
    out: (l) => void lines.push(l),
    err: () => undefined,
    exit: () => void (exited = true),
    now: () => ({ seconds: 0, microseconds: 0 }),
  });
  monitor.feed('{"execute":"qmp_capabilities"}\n');
  return { monitor, lines, exited: () => exited };
}

/** What is wrong with the monitor's answer to one line, or undefined when nothing is. */
function lineProblem(m: ReturnType<typeof freshMonitor>, line: Uint8Array, n: number): string | undefined {
  const before = m.lines.length;
  try {
    m.monitor.feed(line);
    m.monitor.feed(RESYNC);
    m.monitor.feed(`{"execute":"query-jobs","id":"sentinel-${n}"}\n`);
  } catch (e) {
    return `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
  for (const out of m.lines.slice(before)) {
    const v = parseQmpLine(out);
    if (!v.ok || !isRecord(v.value)) return `wrote a line that is not a JSON object: ${out.slice(0, 200)}`;
  }
  if (m.exited()) return undefined;
  const last = m.lines[m.lines.length - 1] ?? '';
  return last === `{"return": [], "id": "sentinel-${n}"}` ? undefined : `stopped answering: last line ${last.slice(0, 200)}`;
}

const show = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('latin1').slice(0, 300));

/** `count` malformed lines (seeded) through one monitor (a fresh one after quit or abort). */
export function fuzzMonitorLines(count: number, seed: number): FuzzStats {
  const lines = fc.sample(hostileLine, { numRuns: count, seed });
  let m = freshMonitor();
  let crashes = 0;
  const examples: string[] = [];
  lines.forEach((line, n) => {
    const problem = lineProblem(m, line, n);
    if (problem !== undefined) {
      crashes++;
      if (examples.length < 5) examples.push(`${show(line)}: ${problem}`);
    }
    if (m.exited() || problem !== undefined) m = freshMonitor();
  });
  return { inputs: lines.length, crashes, examples };
}

/** `count` malformed fixture files (seeded, each made from one of `bases`): loaded, checked for QEMU, replayed on the impl. */
export async function fuzzFixtures(bases: readonly JsonValue[], count: number, seed: number): Promise<FuzzStats & { readonly loaded: number }> {
  const one = fc.nat({ max: bases.length - 1 }).chain((i) => hostileFixture(bases[i] ?? null).map((bytes) => ({ base: bases[i] ?? null, bytes })));
  const files = fc.sample(one, { numRuns: count, seed });
  const dir = mkdtempSync(join(tmpdir(), 'bgcheck-hostile-fixtures-'));
  let crashes = 0;
  let loaded = 0;
  const examples: string[] = [];
  try {
    for (const [i, { base, bytes }] of files.entries()) {
      const name = isRecord(base) && typeof base['name'] === 'string' ? base['name'] : `${String(i).padStart(4, '0')}-x`;
      const path = join(dir, `${name}.json`);
      writeFileSync(path, bytes);
      try {
        const r = await loadFixtureFile(path);
        if (!r.ok) continue;
        loaded++;
        checkScenarioForQemu(r.fixture.scenario);
        await replayFixture(r.fixture, { target: 'impl', runs: 1 });
      } catch (e) {
        crashes++;
        if (examples.length < 5) examples.push(`${show(bytes)}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { inputs: files.length, crashes, loaded, examples };
}
