// The monitor's answers to malformed input beside qemu-storage-daemon's: the same bytes into both, answers grouped
// per input line (a resync and a sentinel command after each), differences listed.
import fc from 'fast-check';
import { BlockLayer } from '../../impl/block-layer.ts';
import { MemoryImageStore } from '../../impl/images/memory.ts';
import { monitorBackend } from '../../impl/monitor-backend.ts';
import { JsonStream } from '../../qmp/json-stream.ts';
import { isRecord } from '../../qmp/json-value.ts';
import { QmpMonitor } from '../../qmp/monitor.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { makeWorkDir, spawnDaemon } from '../../qemu/daemon.ts';
import { createImages } from '../../qemu/images.ts';
import { commandProblems } from '../../qemu/sandbox/check-scenario.ts';
import { hostileLine } from './hostile-lines.ts';
import { FUZZ_IMAGES } from './monitor-fuzz.ts';

export interface LineDifference {
  /**
   * `answer`: both return, with different contents (what a query reports: the impl's business, and normalized away by
   * every comparison the tool makes); `monitor`: parsing, dispatch or error texts differ.
   */
  readonly kind: 'monitor' | 'answer';
  readonly input: string;
  readonly qemu: readonly string[];
  readonly monitor: readonly string[];
}

export interface CompareReport {
  readonly lines: number;
  /** Lines left out because they name host files (the sandbox would refuse them anyway). */
  readonly skipped: number;
  readonly differences: readonly LineDifference[];
}

const SENTINEL = (n: number): string => `{"execute":"query-jobs","id":"sentinel-${n}"}\n`;
const RESYNC = Uint8Array.from([0xff, 0x0a]);

/** Whether a line, as QEMU would parse it, holds a command the argument check refuses. */
function unsafe(line: Uint8Array): boolean {
  return new JsonStream().feed(Uint8Array.from([...line, 0x0a])).some((it) => {
    if (it.kind !== 'value' || !isRecord(it.value) || typeof it.value['execute'] !== 'string') return false;
    return commandProblems(it.value as unknown as QmpCommand).length > 0;
  });
}

/** The whole session's input: capabilities, then each line, a resync and a sentinel. */
export function sessionInput(lines: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [Buffer.from('{"execute":"qmp_capabilities"}\n')];
  lines.forEach((l, n) => parts.push(Buffer.from(l), Buffer.from('\n'), Buffer.from(RESYNC), Buffer.from(SENTINEL(n))));
  return Buffer.concat(parts);
}

/** Output lines grouped by the sentinel that ends each input line's answers; names and clocks normalized. */
export function groups(out: readonly string[], count: number): string[][] {
  const gs: string[][] = Array.from({ length: count }, () => []);
  let n = 0;
  for (const raw of out) {
    const line = raw.replace(/#block\d+/g, '#block').replace(/"seconds": \d+, "microseconds": \d+/g, '"seconds": 0, "microseconds": 0');
    if (line.includes(`"id": "sentinel-${n}"`)) n++;
    else if (n < count) gs[n]?.push(line);
  }
  return gs;
}

/** What the monitor (over the impl, FUZZ_IMAGES in memory) writes for a session's bytes, after greeting and capabilities. */
export function monitorOutput(input: Buffer): string[] {
  const out: string[] = [];
  const m = new QmpMonitor(monitorBackend(new BlockLayer(MemoryImageStore.fromSpecs(FUZZ_IMAGES))), {
    out: (l) => void out.push(l),
    err: () => undefined,
    exit: () => undefined,
    now: () => ({ seconds: 0, microseconds: 0 }),
  });
  m.feed(input);
  return out.slice(2);
}

/** What qemu-storage-daemon (sandboxed, FUZZ_IMAGES created) writes for the same bytes, until the last sentinel. */
export async function qemuOutput(input: Buffer, count: number, timeoutMs: number): Promise<string[]> {
  const dir = await makeWorkDir();
  const made = await createImages(dir.path, FUZZ_IMAGES);
  if (!made.ok) throw new Error(made.error.message);
  const daemon = spawnDaemon(dir);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    daemon.stdout.on('data', (b: Buffer) => {
      chunks.push(b);
      if (b.includes(`"id": "sentinel-${count - 1}"`)) resolve();
    });
    daemon.stdout.on('end', () => resolve());
    setTimeout(resolve, timeoutMs);
  });
  daemon.stdin.end(input);
  await done;
  await daemon.dispose();
  return Buffer.concat(chunks).toString('utf8').split('\r\n').filter((l) => l !== '').slice(2);
}

function kindOf(q: readonly string[], m: readonly string[]): LineDifference['kind'] {
  if (q.length !== m.length) return 'monitor';
  const answer = q.every((x, i) => x === m[i] || (x.startsWith('{"return": ') && (m[i] ?? '').startsWith('{"return": ')));
  return answer ? 'answer' : 'monitor';
}

/** `count` hostile lines (seeded) through both; every line whose answers differ. */
export async function compareWithQemu(count: number, seed: number, timeoutMs = 300_000): Promise<CompareReport> {
  const all = fc.sample(hostileLine, { numRuns: count, seed });
  const lines = all.filter((l) => !unsafe(l));
  const input = sessionInput(lines);
  const mine = groups(monitorOutput(input), lines.length);
  const theirs = groups(await qemuOutput(input, lines.length, timeoutMs), lines.length);
  const differences: LineDifference[] = [];
  lines.forEach((l, i) => {
    const q = theirs[i] ?? [];
    const m = mine[i] ?? [];
    if (q.join('\n') !== m.join('\n')) differences.push({ kind: kindOf(q, m), input: Buffer.from(l).toString('latin1'), qemu: q, monitor: m });
  });
  return { lines: lines.length, skipped: all.length - lines.length, differences };
}
