// Images as `qemu-img create` (QEMU 7.2) would make them from a scenario's specs, without touching disk.
import type { ImageFile, ImageSpec, ImageStore } from './image-store.ts';
import { applyWrites } from './apply-writes.ts';
import { FIXED_METADATA_CLUSTERS, l1TableBytes } from './qcow2-layout.ts';

const SECTOR = 512;
const DEFAULT_CLUSTER_SIZE = 65536;

export class MemoryImageStore implements ImageStore {
  private readonly files = new Map<string, ImageFile>();

  /** The images a scenario starts with, as qemu-img creates them (sizes rounded up to 512 bytes). */
  static fromSpecs(specs: readonly ImageSpec[]): MemoryImageStore {
    const store = new MemoryImageStore();
    for (const spec of specs) store.write(applyWrites(store, imageFileFromSpec(spec), spec.writes ?? []));
    return store;
  }

  read(filename: string): ImageFile | undefined {
    return this.files.get(filename);
  }

  write(file: ImageFile): void {
    this.files.set(file.filename, file);
  }
}

/** qemu-img rounds both qcow2 virtual sizes and raw file lengths up to whole sectors. */
export function imageFileFromSpec(spec: ImageSpec): ImageFile {
  const size = Math.ceil(spec.size / SECTOR) * SECTOR;
  if (spec.format === 'raw') return { filename: spec.filename, length: size, header: { kind: 'raw' } };
  const clusterSize = spec.cluster_size ?? DEFAULT_CLUSTER_SIZE;
  return {
    filename: spec.filename,
    length: freshQcow2Length(size, clusterSize),
    header: {
      kind: 'qcow2',
      virtualSize: size,
      clusterSize,
      // qmprun.py always passes -F, defaulting to qcow2
      ...(spec.backing ? { backingFile: spec.backing, backingFormat: spec.backing_fmt ?? 'qcow2' } : {}),
    },
  };
}

/** Fresh qcow2 length: 3 clusters + L1 bytes (196616 for 1 MiB/64k); measured on qemu-img 7.2, refcount-table growth not modelled. */
export function freshQcow2Length(virtualSize: number, clusterSize: number): number {
  const l1Bytes = l1TableBytes(virtualSize, clusterSize);
  const l1Clusters = Math.ceil(l1Bytes / clusterSize);
  const refcountsPerBlock = clusterSize / 2;
  let extraBlocks = 0;
  while (FIXED_METADATA_CLUSTERS + l1Clusters + extraBlocks > (1 + extraBlocks) * refcountsPerBlock) extraBlocks++;
  // once the first refcount block is full, extra blocks follow the L1 table and the file ends on a cluster
  if (extraBlocks === 0) return FIXED_METADATA_CLUSTERS * clusterSize + l1Bytes;
  return (FIXED_METADATA_CLUSTERS + l1Clusters + extraBlocks) * clusterSize;
}
