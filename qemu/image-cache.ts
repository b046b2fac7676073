// Fresh images that qemu-img makes without opening anything (no backing, or -u) are the same bytes for the same
// arguments: each is made once a campaign, in a private dir of its own, and then written into each run's dir from
// memory — its allocated extents only, so the file has the same holes and the same allocated zero blocks (a raw
// image's first block) as qemu-img's. A qemu-img start costs ~32 ms of CPU, and a sequence makes about five.
import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSpec } from '../qmp/image-spec.ts';
import { makeWorkDir, type WorkDir } from './sandbox/work-dir.ts';
import { sandboxedScript } from './sandbox/launcher.ts';
import { runTool, type Spawners } from './sandbox/spawner.ts';

/** A made image: its length, and the bytes of each allocated extent. */
export interface CachedImage {
  readonly size: number;
  readonly extents: readonly { readonly offset: number; readonly bytes: Buffer }[];
}

/** Distinct images kept (a campaign draws a few dozen), and the largest one kept (large clusters, big tables). */
const MAX_ENTRIES = 512;
const MAX_BYTES = 4 * 1024 * 1024;

/** The images one owner (qemu/tool-host.ts) made, made in a private dir of its own with its spawners; close()
 * removes the dir. */
export class ImageCache {
  private dir: Promise<WorkDir> | undefined;
  private readonly made = new Map<string, Promise<CachedImage | undefined>>();

  constructor(private readonly spawners: Spawners) {}

  /** The image `img` and `create(file)` (qemu-img's arguments to make it as `file`) make, or undefined if it cannot
   * be kept. */
  image(img: string, create: (file: string) => readonly string[]): Promise<CachedImage | undefined> {
    const key = createHash('sha256').update(JSON.stringify([img, ...create('')])).digest('hex').slice(0, 32);
    let made = this.made.get(key);
    if (made === undefined) {
      if (this.made.size >= MAX_ENTRIES) return Promise.resolve(undefined);
      made = this.make(img, create, key);
      this.made.set(key, made);
      // a failure (a bad spec, a killed run) is not kept: the run's own qemu-img reports it
      void made.then((m) => m === undefined && this.made.delete(key));
    }
    return made;
  }

  async close(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    this.made.clear();
    await (await dir?.catch(() => undefined))?.remove();
  }

  private async make(img: string, create: (file: string) => readonly string[], key: string): Promise<CachedImage | undefined> {
    this.dir ??= makeWorkDir();
    const dir = (await this.dir).path;
    const file = `img-${key}`;
    // the allocation as the file driver reports it (SEEK_DATA/SEEK_HOLE), read in the same sandbox
    const argv = sandboxedScript((line) => `${line([img, ...create(file)])} &&\n${line([img, 'map', '--output=json', '-f', 'raw', file])}`, dir);
    try {
      const [cmd, ...rest] = argv;
      const r = await runTool(cmd ?? 'sh', rest, { cwd: dir, timeout: 60_000 }, this.spawners);
      const map = JSON.parse(r.stdout) as unknown;
      if (!Array.isArray(map)) return undefined;
      const bytes = await readFile(join(dir, file));
      await rm(join(dir, file), { force: true });
      if (bytes.length > MAX_BYTES) return undefined;
      const extents = (map as { start?: unknown; length?: unknown; data?: unknown }[])
        .filter((e) => e.data === true && typeof e.start === 'number' && typeof e.length === 'number')
        .map((e) => ({ offset: e.start as number, bytes: bytes.subarray(e.start as number, (e.start as number) + (e.length as number)) }));
      return { size: bytes.length, extents };
    } catch {
      return undefined;
    }
  }
}

/** Writes a kept image as `name` in `dir` (a new file: never over another). */
export async function writeCachedImage(dir: string, name: string, image: CachedImage): Promise<void> {
  const fh = await open(join(dir, name), 'wx');
  try {
    for (const e of image.extents) await fh.write(e.bytes, 0, e.bytes.length, e.offset);
    await fh.truncate(image.size);
  } finally {
    await fh.close();
  }
}

/** Whether qemu-img makes `spec` without opening another file: then its bytes depend on its arguments alone. */
export function isCacheable(spec: ImageSpec, unopened: ReadonlySet<ImageSpec>): boolean {
  return spec.backing === undefined || unopened.has(spec);
}
