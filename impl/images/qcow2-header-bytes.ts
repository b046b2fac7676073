// The leading bytes of a qcow2 file as qemu-img 7.2 writes them, for finding where two images first differ.
import type { Qcow2Header } from './image-store.ts';

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
