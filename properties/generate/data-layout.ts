// Data layouts for generated images (qmp/image-spec.ts writes): a few ranges of pattern bytes and, on qcow2, zeroed
// clusters, so allocation differs from layer to layer along a chain. Sector-aligned, some shorter than a cluster.
import fc from 'fast-check';
import type { ImageWrite } from '../../qmp/image-spec.ts';
import { pick } from './arb.ts';

const SECTOR = 512;
const LENGTHS = [512, 4096, 65536, 131072] as const;

function dataWrite(size: number): fc.Arbitrary<ImageWrite> {
  return fc
    .record({ length: pick(LENGTHS), at: fc.integer({ min: 0, max: Math.max(0, size / SECTOR - 1) }), pattern: fc.integer({ min: 0, max: 255 }) })
    .map(({ length, at, pattern }) => {
      const offset = Math.min(at * SECTOR, size - SECTOR);
      return { offset, length: Math.max(SECTOR, Math.min(length, size - offset)), pattern };
    });
}

function zeroWrite(size: number, cluster: number): fc.Arbitrary<ImageWrite> {
  const clusters = Math.floor(size / cluster);
  return fc.integer({ min: 0, max: Math.max(0, clusters - 1) }).map((i) => ({ offset: i * cluster, length: cluster, zero: true as const }));
}

/** Mostly empty or a few writes; zero writes only where whole clusters fit (qcow2). */
export function writesArb(format: 'qcow2' | 'raw', size: number, cluster = 65536): fc.Arbitrary<readonly ImageWrite[]> {
  const rounded = Math.ceil(size / SECTOR) * SECTOR;
  const one = format === 'qcow2' && rounded >= cluster ? fc.oneof({ weight: 3, arbitrary: dataWrite(rounded) }, { weight: 1, arbitrary: zeroWrite(rounded, cluster) }) : dataWrite(rounded);
  return fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(one, { minLength: 1, maxLength: 3 }) });
}
