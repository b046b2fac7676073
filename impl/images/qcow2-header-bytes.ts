// The bytes of a fresh qcow2 file as qemu-img 7.2 writes them, for finding where two images first differ.
import type { ImageFile, Qcow2Header } from './image-store.ts';
import { l2Coverage, metadataClusters } from './qcow2-layout.ts';

const MAGIC = 0x514649fb;
const HEADER_LENGTH = 112;
const EXT_BACKING_FORMAT = 0xe2792aca;
const EXT_FEATURE_TABLE = 0x6803f857;
// qcow2_update_header's feature name table (type: 0 incompatible, 1 compatible, 2 autoclear; bit; name), 7.2 and 10.0.2
const FEATURES: ReadonlyArray<readonly [number, number, string]> = [
  [0, 0, 'dirty bit'], [0, 1, 'corrupt bit'], [0, 2, 'external data file'], [0, 3, 'compression type'],
  [0, 4, 'extended L2 entries'], [1, 0, 'lazy refcounts'], [2, 0, 'bitmaps'], [2, 1, 'raw external data'],
];
const FEATURE_ENTRY = 48;
const EXT_HEAD = 8;

const padded = (n: number): number => Math.ceil(n / 8) * 8;

/** Where the backing file name starts: after the header, its backing-format and feature-table extensions and the end
 * marker, as qcow2_update_header writes them (528 with a backing format of up to 8 bytes). */
export function backingNameOffset(h: Qcow2Header): number {
  const format = h.backingFile !== undefined && h.backingFormat !== undefined ? EXT_HEAD + padded(new TextEncoder().encode(h.backingFormat).length) : 0;
  return HEADER_LENGTH + format + EXT_HEAD + FEATURES.length * FEATURE_ENTRY + EXT_HEAD;
}

/** Header fields in their big-endian places, then the extensions and the backing file name (the rest is zeros). */
export function qcow2HeaderBytes(h: Qcow2Header): Uint8Array {
  const name = new TextEncoder().encode(h.backingFile ?? '');
  const nameAt = backingNameOffset(h);
  const buf = new Uint8Array(nameAt + name.length);
  const v = new DataView(buf.buffer);
  const clusterBits = Math.log2(h.clusterSize);
  v.setUint32(0, MAGIC);
  v.setUint32(4, 3);
  if (h.backingFile !== undefined) {
    v.setBigUint64(8, BigInt(nameAt));
    v.setUint32(16, name.length);
  }
  v.setUint32(20, clusterBits);
  v.setBigUint64(24, BigInt(h.virtualSize));
  v.setUint32(36, Math.ceil(h.virtualSize / l2Coverage(h.clusterSize)));
  // cluster 0 is the header, 1 the refcount table, 2 its first block, 3 the L1 table
  v.setBigUint64(40, BigInt(3 * h.clusterSize));
  v.setBigUint64(48, BigInt(h.clusterSize));
  v.setUint32(56, 1);
  v.setUint32(96, 4);
  v.setUint32(100, HEADER_LENGTH);
  let at = HEADER_LENGTH;
  if (h.backingFile !== undefined && h.backingFormat !== undefined) {
    const fmt = new TextEncoder().encode(h.backingFormat);
    v.setUint32(at, EXT_BACKING_FORMAT);
    v.setUint32(at + 4, fmt.length);
    buf.set(fmt, at + EXT_HEAD);
    at += EXT_HEAD + padded(fmt.length);
  }
  v.setUint32(at, EXT_FEATURE_TABLE);
  v.setUint32(at + 4, FEATURES.length * FEATURE_ENTRY);
  FEATURES.forEach(([type, bit, label], i) => {
    const e = at + EXT_HEAD + i * FEATURE_ENTRY;
    v.setUint8(e, type);
    v.setUint8(e + 1, bit);
    buf.set(new TextEncoder().encode(label), e + 2);
  });
  // the end-of-extensions marker is eight zero bytes
  buf.set(name, nameAt);
  return buf;
}

/** Past this offset imageFileBytes reads zeros or nothing modelled: after a fresh qcow2's refcount block. */
export function imageFileBytesEnd(img: ImageFile): number {
  if (img.header.kind !== 'qcow2' || (img.l2Tables ?? []).length > 0) return 0;
  return 2 * img.header.clusterSize + 2 * metadataClusters(img.header.virtualSize, img.header.clusterSize);
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
  const metadata = metadataClusters(img.header.virtualSize, cs);
  if (img.length >= cs + 8) v.setBigUint64(cs, BigInt(2 * cs));
  for (let i = 0; i < metadata; i++) if (img.length >= 2 * cs + 2 * i + 2) v.setUint16(2 * cs + 2 * i, 1);
  return file.slice(offset, offset + bytes);
}
