// What qemu-img prints for an NBD export: its map in the base:allocation and qemu:allocation-depth contexts, and the
// exported bytes. Both maps are merged into one list of served extents (qmp/observation.ts).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxedArgv } from './sandbox/launcher.ts';
import { runTool, type Spawners } from './sandbox/spawner.ts';
import { overlayExtents, servedExtent, type ServedChecksum, type ServedExtent } from '../qmp/observation.ts';

/** How long one qemu-img read of an export may take before it is killed and the observation fails (generation keeps
 * checksums to 64 MiB, read in about 1 s on the loaded 2-core machine; closing the target kills it sooner). */
const READ_DEADLINE_MS = 60_000;

export interface NbdSource {
  /** The unix socket, relative to `dir`. */
  readonly socket: string;
  readonly exportName: string;
  readonly dir: string;
  readonly img: string;
  /** Aborted when the target closes: qemu-img is killed at once (its read of a large export may take long). */
  readonly signal?: AbortSignal;
  /** The server takes two clients at once (a scenario's own may allow only one: `max-connections`). */
  readonly twoClients?: boolean;
  /** Where qemu-img is started from (default: this process). */
  readonly spawners?: Spawners;
}

export type NbdRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

interface MapEntry {
  readonly start: number;
  readonly length: number;
  readonly zero: boolean;
  readonly data: boolean;
}

async function qemuImg(src: NbdSource, args: readonly string[]): Promise<NbdRead<string>> {
  try {
    const [cmd, ...rest] = sandboxedArgv([src.img, ...args], src.dir);
    const r = await runTool(cmd ?? src.img, rest, { cwd: src.dir, timeout: READ_DEADLINE_MS, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL', ...(src.signal ? { signal: src.signal } : {}) }, src.spawners);
    return { ok: true, value: r.stdout };
  } catch (e) {
    const stderr = typeof e === 'object' && e !== null && 'stderr' in e && typeof e.stderr === 'string' ? e.stderr.trim() : '';
    return { ok: false, message: stderr !== '' ? stderr : e instanceof Error ? e.message : String(e) };
  }
}

function parseMap(text: string): NbdRead<MapEntry[]> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, message: `qemu-img map printed no JSON: ${text.slice(0, 200)}` };
  }
  if (!Array.isArray(v)) return { ok: false, message: 'qemu-img map printed no list' };
  const out: MapEntry[] = [];
  for (const e of v as unknown[]) {
    if (typeof e !== 'object' || e === null) return { ok: false, message: 'qemu-img map printed a non-object entry' };
    const { start, length, zero, data } = e as Record<string, unknown>;
    if (typeof start !== 'number' || typeof length !== 'number' || typeof zero !== 'boolean' || typeof data !== 'boolean') {
      return { ok: false, message: `qemu-img map entry without start/length/zero/data: ${JSON.stringify(e)}` };
    }
    out.push({ start, length, zero, data });
  }
  return { ok: true, value: out };
}

/** x-dirty-bitmap reads the context's value as base:allocation flags: 0 (unallocated) is DATA, 1 (local) a hole,
 * 2 (backing) DATA|ZERO (block/nbd.c, nbd_client_co_block_status). */
function depthOf(e: MapEntry): 0 | 1 | 2 {
  if (!e.data) return 1;
  return e.zero ? 2 : 0;
}

/** Both maps of the export, cut at each other's boundaries. */
export async function servedMap(src: NbdSource): Promise<NbdRead<ServedExtent[]>> {
  const uri = `nbd+unix:///${src.exportName}?socket=${src.socket}`;
  const opts = `driver=nbd,server.type=unix,server.path=${src.socket},export=${src.exportName},x-dirty-bitmap=qemu:allocation-depth`;
  // two clients at once (the server takes any number): the step waits for one qemu-img start, not two in a row
  const maps = [['map', '--output=json', '-f', 'raw', uri], ['map', '--output=json', '--image-opts', opts]] as const;
  const [status, depth] = src.twoClients === true ? await Promise.all(maps.map((m) => qemuImg(src, m))) : [await qemuImg(src, maps[0]), await qemuImg(src, maps[1])];
  if (!status || !depth) return { ok: false, message: 'qemu-img map did not run' };
  if (!status.ok) return status;
  if (!depth.ok) return depth;
  const a = parseMap(status.value);
  const b = parseMap(depth.value);
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, value: overlay(a.value, b.value) };
}

function overlay(flags: readonly MapEntry[], depths: readonly MapEntry[]): ServedExtent[] {
  return overlayExtents(flags, depths, (start, length, f, d) => servedExtent(start, length, depthOf(d), f.zero, f.data));
}

/** The export's bytes, copied to a scratch file in `dir` and hashed. */
export async function servedChecksum(src: NbdSource): Promise<NbdRead<ServedChecksum>> {
  const out = join(src.dir, '.bgcheck-observe.raw');
  const uri = `nbd+unix:///${src.exportName}?socket=${src.socket}`;
  // one coroutine (-m 1): reads in offset order, so a blkverify that dies of a mismatch dies at the same read each time
  const r = await qemuImg(src, ['convert', '-m', '1', '-f', 'raw', '-O', 'raw', uri, out]);
  if (!r.ok) return r;
  try {
    // hashed as a stream: an export as large as a null-co's default 1 GiB is never held in memory
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(out)) hash.update(chunk as Buffer);
    return { ok: true, value: { length: (await stat(out)).size, sha256: hash.digest('hex') } };
  } finally {
    await rm(out, { force: true });
  }
}
