// The images one run starts with: qcow2 chains whose headers name their backing files, and raw files.
import fc from 'fast-check';
import type { ImageSpec } from '../../impl/images/image-store.ts';
import { mostly, pick } from './arb.ts';
import { writesArb } from './data-layout.ts';
import type { ImageWrite } from '../../qmp/image-spec.ts';

/** Sector multiples (qemu-img rounds up anyway); 1 MiB + 512 breaks 4 KiB alignment on purpose. */
const IMAGE_SIZES = [65536, 1048576, 1049088, 2097152] as const;

interface ChainPlan {
  readonly length: number;
  readonly rawBase: boolean;
  readonly sizes: readonly number[];
  /** Each level's data layout (qcow2 with 64 KiB clusters; a raw base takes the data writes only). */
  readonly writes: readonly (readonly ImageWrite[])[];
}

/** Mostly the run's common size: mirror, quorum and replacement refuse or fail on nodes of different sizes. */
const sizeNear = (common: number): fc.Arbitrary<number> => mostly(fc.constant(common), pick(IMAGE_SIZES), 4);

const chainPlan = (common: number): fc.Arbitrary<ChainPlan> =>
  fc.record({
    length: fc.integer({ min: 1, max: 3 }),
    rawBase: mostly(fc.constant(false), fc.constant(true), 4),
    sizes: fc.array(sizeNear(common), { minLength: 3, maxLength: 3 }),
    writes: fc.array(writesArb('qcow2', common), { minLength: 3, maxLength: 3 }),
  });

/** The layout drawn for a level, kept inside that level's own size (and data-only on raw). */
function fitWrites(ws: readonly ImageWrite[], size: number, raw: boolean): ImageWrite[] {
  const end = Math.ceil(size / 512) * 512;
  return ws.filter((w) => w.offset + w.length <= end && !(raw && 'zero' in w));
}

function chainImages(c: ChainPlan, i: number): ImageSpec[] {
  const out: ImageSpec[] = [];
  for (let level = 0; level < c.length; level++) {
    const size = c.sizes[level] ?? 1048576;
    const below = out[level - 1];
    const writes = fitWrites(c.writes[level] ?? [], size, level === 0 && c.rawBase && c.length > 1);
    if (level === 0 && c.rawBase && c.length > 1) {
      out.push({ filename: `c${i}-0.raw`, format: 'raw', size, ...(writes.length > 0 ? { writes } : {}) });
      continue;
    }
    out.push({
      filename: `c${i}-${level}.qcow2`,
      format: 'qcow2',
      size,
      ...(below ? { backing: below.filename, backing_fmt: below.format } : {}),
      ...(writes.length > 0 ? { writes } : {}),
    });
  }
  return out;
}

export const imagesArb: fc.Arbitrary<readonly ImageSpec[]> = pick(IMAGE_SIZES)
  .chain((common) =>
    fc.tuple(
      fc.array(chainPlan(common), { minLength: 1, maxLength: 3 }),
      fc.array(fc.tuple(sizeNear(common), writesArb('raw', common)), { minLength: 0, maxLength: 3 }),
    ),
  )
  .map(([chains, raws]) => [
    ...chains.flatMap((c, i) => chainImages(c, i)),
    ...raws.map(([size, ws], i): ImageSpec => {
      const writes = fitWrites(ws, size, true);
      return { filename: `r${i}.raw`, format: 'raw', size, ...(writes.length > 0 ? { writes } : {}) };
    }),
  ]);
