// The bytes of a fresh qcow2 file as qemu-img 7.2 writes them, for finding where two images first differ.
import type { ImageFile, Qcow2Header } from './image-store.ts';

const MAGIC = 0x514649fb;
const HEADER_LENGTH = 112;
const EXT_BACKING_FORMAT = 0xe2792aca;
// header, backing-format, feature-table and end extensions come first; the feature table is the same for all
const BACKING_NAME_OFFSET = 528;

/** Header fields in their big-endian places; what every fresh image shares beyond them is left zero. */
export function qcow2HeaderBytes(h: Qcow2Header): Uint8Array {
  const name = new TextEncoder().encode(h.backingFile ?? '');
  const buf = new Uint8Array(BACKING_NAME_OFFSET + name.length);
  const v = new DataView(buf.buffer);
  const clusterBits = Math.log2(h.clusterSize);
  const l2Coverage = h.clusterSize * (h.clusterSize / 8);
  v.setUint32(0, MAGIC);
  v.setUint32(4, 3);
  if (h.backingFile !== undefined) {
    v.setBigUint64(8, BigInt(BACKING_NAME_OFFSET));
    v.setUint32(16, name.length);
  }
  v.setUint32(20, clusterBits);
  v.setBigUint64(24, BigInt(h.virtualSize));
  v.setUint32(36, Math.ceil(h.virtualSize / l2Coverage));
  // cluster 0 is the header, 1 the refcount table, 2 its first block, 3 the L1 table
  v.setBigUint64(40, BigInt(3 * h.clusterSize));
  v.setBigUint64(48, BigInt(h.clusterSize));
  v.setUint32(56, 1);
  v.setUint32(96, 4);
  v.setUint32(100, HEADER_LENGTH);
  if (h.backingFile !== undefined && h.backingFormat !== undefined) {
    const fmt = new TextEncoder().encode(h.backingFormat);
    v.setUint32(HEADER_LENGTH, EXT_BACKING_FORMAT);
    v.setUint32(HEADER_LENGTH + 4, fmt.length);
    buf.set(fmt, HEADER_LENGTH + 8);
  }
  buf.set(name, BACKING_NAME_OFFSET);
  return buf;
}

/**
 * The bytes [offset, offset + bytes) of an image file past its first cluster, where modelled: a fresh qcow2 file
 * holds its refcount table (one entry: the block two clusters in) and block (1 for each metadata cluster) there, and
 * a zero L1 table; a raw image is zeros. Undefined: the first cluster, a broken header, or clusters a write allocated.
 */
export function imageFileBytes(img: ImageFile, offset: number, bytes: number): Uint8Array | undefined {
  if (img.header.kind === 'raw') return new Uint8Array(bytes);
  if (img.header.kind !== 'qcow2' || (img.l2Tables ?? []).length > 0) return undefined;
  const cs = img.header.clusterSize;
  if (offset < cs) return undefined;
  const file = new Uint8Array(Math.max(img.length, offset + bytes));
  const v = new DataView(file.buffer);
  const l1Clusters = Math.max(1, Math.ceil((Math.ceil(img.header.virtualSize / (cs * (cs / 8))) * 8) / cs));
  if (img.length >= cs + 8) v.setBigUint64(cs, BigInt(2 * cs));
  for (let i = 0; i < 3 + l1Clusters; i++) if (img.length >= 2 * cs + 2 * i + 2) v.setUint16(2 * cs + 2 * i, 1);
  return file.slice(offset, offset + bytes);
}
