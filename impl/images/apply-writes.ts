// A scenario image's `writes` (qmp/image-spec.ts) made as qemu-io makes them on the new image, its backing chain open:
// the guest data, and what the allocations do to a qcow2 file (L2 tables, data clusters, length).
import { isZeroWrite, type ImageWrite } from '../../qmp/image-spec.ts';
import { fill, zeros, type Bytes } from './bytes.ts';
import { freshRaw, rawBytes, rawWrite, type GuestData } from './guest-data.ts';
import type { ImageFile, ImageStore } from './image-store.ts';
import { qcow2Read, qcow2Write, type GuestWrite } from './qcow2-guest.ts';
import { l2Coverage, metadataClusters } from './qcow2-layout.ts';

/** The guest bytes of an image file as a guest of its own header sees them (backing files by the header's name). */
export function imageBytes(store: ImageStore, filename: string, from: number, length: number, depth = 0): Bytes {
  const img = store.read(filename);
  if (!img || depth > 16) return zeros(length);
  const g = guestOf(img);
  if (g.kind === 'raw') return rawBytes(g.extents, from, length);
  if (img.header.kind !== 'qcow2') return zeros(length);
  const h = img.header;
  const below = (f: number, l: number): Bytes => {
    const bl = h.backingFile === undefined ? 0 : Math.max(0, Math.min(l, backingSize(store, h.backingFile) - f));
    return bl > 0 && h.backingFile !== undefined ? [...imageBytes(store, h.backingFile, f, bl, depth + 1), ...zeros(l - bl)] : zeros(l);
  };
  return qcow2Read(g.clusters, h.clusterSize, from, length, below);
}

function backingSize(store: ImageStore, filename: string): number {
  const img = store.read(filename);
  if (!img) return 0;
  return img.header.kind === 'qcow2' ? img.header.virtualSize : img.length;
}

/** The image's guest data; a file never written is as qemu-img created it. */
export function guestOf(img: ImageFile): GuestData {
  if (img.guest) return img.guest;
  return img.header.kind === 'qcow2' ? { kind: 'qcow2', clusters: new Map() } : freshRaw(img.length);
}

/** Applies the writes in order; a qcow2 file grows by each L2 table and data cluster they allocate. */
export function applyWrites(store: ImageStore, img: ImageFile, writes: readonly ImageWrite[]): ImageFile {
  let cur = img;
  for (const w of writes) {
    const write: GuestWrite = isZeroWrite(w) ? { kind: 'zero', length: w.length } : { kind: 'data', bytes: fill(w.length, w.pattern) };
    cur = writeImage(store, cur, w.offset, write);
  }
  return cur;
}

function writeImage(store: ImageStore, img: ImageFile, at: number, w: GuestWrite): ImageFile {
  const g = guestOf(img);
  if (g.kind === 'raw') {
    const bytes = w.kind === 'data' ? w.bytes : zeros(w.length);
    return { ...img, guest: { kind: 'raw', extents: rawWrite(g.extents, at, bytes) } };
  }
  if (img.header.kind !== 'qcow2') return img;
  const cs = img.header.clusterSize;
  store.write({ ...img, guest: g });
  const below = (f: number, l: number): Bytes => imageBelow(store, img.filename, f, l);
  const { clusters, fresh, hosted, partial } = qcow2Write(g.clusters, cs, at, w, below);
  const coverage = l2Coverage(cs);
  const tables = [...(img.l2Tables ?? [])];
  const data = [...(img.dataClusters ?? [])];
  // each cluster's L2 table (if its L1 entry had none) is allocated before its data cluster
  for (const idx of [...new Set([...fresh, ...hosted])].sort((a, b) => a - b)) {
    const l1 = Math.floor((idx * cs) / coverage);
    if (!tables.includes(l1)) tables.push(l1);
    if (hosted.includes(idx)) data.push(idx);
  }
  const metadata = metadataClusters(img.header.virtualSize, cs);
  const length = tables.length + data.length > 0 ? Math.max(img.length, (metadata + tables.length + data.length) * cs) : img.length;
  return { ...img, length, l2Tables: tables, dataClusters: data, guest: { kind: 'qcow2', clusters }, ...(partial || img.partialClusters ? { partialClusters: true as const } : {}) };
}

/** Below a qcow2 image: its backing file (zeros past that file's end), else zeros. */
function imageBelow(store: ImageStore, filename: string, from: number, length: number): Bytes {
  const img = store.read(filename);
  const b = img?.header.kind === 'qcow2' ? img.header.backingFile : undefined;
  if (b === undefined) return zeros(length);
  const n = Math.max(0, Math.min(length, backingSize(store, b) - from));
  return [...imageBytes(store, b, from, n), ...zeros(length - n)];
}
