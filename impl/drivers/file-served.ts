// What a file node serves: a raw image's bytes and its allocated blocks (SEEK_DATA/SEEK_HOLE), or a qcow2 image file
// read as raw: metadata and clusters as data, bytes not modelled.
import type { BlockEnv } from '../core/block-env.ts';
import type { BlockNode } from '../core/graph.ts';
import { bytesLength, concat, fill, fromArray, slice, UNKNOWN_BYTE, zeros } from '../images/bytes.ts';
import { qcow2HeaderBytes } from '../images/qcow2-header-bytes.ts';
import { guestOf } from '../images/apply-writes.ts';
import { FS_BLOCK, rawBytes, rawPunch, rawWrite } from '../images/guest-data.ts';
import type { ImageFile } from '../images/image-store.ts';
import { FIXED_METADATA_CLUSTERS, l1TableBytes, metadataClusters } from '../images/qcow2-layout.ts';
import type { DriverServed, OwnStatus } from './driver-served.ts';

/** The file's allocated ranges as file-posix's lseek sees them. */
function dataRanges(img: ImageFile): Array<readonly [number, number]> {
  const g = guestOf(img);
  if (g.kind === 'raw') return g.extents.map((e) => [e.start, e.start + bytesLength(e.bytes)] as const);
  // past what was written before a truncate, a hole; the file system allocates the block the end falls in
  const end = img.writtenEnd === undefined ? img.length : Math.min(img.length, Math.ceil(img.writtenEnd / FS_BLOCK) * FS_BLOCK);
  return formatRanges(img).flatMap(([s, e]) => (s < end ? [[s, Math.min(e, end)] as const] : []));
}

/** What qemu-img wrote of a file that is not a raw guest: all of it, or a qcow2 image's metadata and clusters. */
function formatRanges(img: ImageFile): Array<readonly [number, number]> {
  if (img.header.kind !== 'qcow2') return [[0, img.length]];
  // header, refcount table and block, the L1 table; then the clusters allocated after it, written whole
  const cs = img.header.clusterSize;
  const l1Bytes = l1TableBytes(img.header.virtualSize, cs);
  const metaEnd = Math.min(img.length, Math.ceil((FIXED_METADATA_CLUSTERS * cs + l1Bytes) / FS_BLOCK) * FS_BLOCK);
  const clustersFrom = metadataClusters(img.header.virtualSize, cs) * cs;
  return clustersFrom < img.length ? [[0, metaEnd], [clustersFrom, img.length]] : [[0, metaEnd]];
}

function statusAt(env: BlockEnv, node: BlockNode, offset: number, bytes: number, wantZero: boolean): OwnStatus {
  const img = env.images.read(node.filename ?? '');
  if (!wantZero || !img) return { kind: 'own', data: true, zero: false, pnum: bytes };
  const end = offset + bytes;
  for (const [s, e] of dataRanges(img)) {
    if (s <= offset && offset < e) return { kind: 'own', data: true, zero: false, pnum: Math.min(e, end) - offset };
    if (s > offset) return { kind: 'own', data: false, zero: true, pnum: Math.min(s, end) - offset };
  }
  return { kind: 'own', data: false, zero: true, pnum: bytes };
}

export const fileServed: DriverServed = {
  zeroesWithUnmap: true,
  statusAt,
  readAt(env, node, offset, length) {
    const img = env.images.read(node.filename ?? '');
    if (!img) return { kind: 'bytes', bytes: zeros(length) };
    const g = guestOf(img);
    if (g.kind === 'raw') return { kind: 'bytes', bytes: rawBytes(g.extents, offset, length) };
    // a qcow2 file read as raw: its header fields where modelled (a blkverify compares them), the rest not
    const head = img.header.kind === 'qcow2' ? fromArray(qcow2HeaderBytes(img.header)) : [];
    const file = concat(head, fill(Math.max(0, img.length - bytesLength(head)), UNKNOWN_BYTE));
    return { kind: 'bytes', bytes: slice(file, offset, length) };
  },
  writeAt(env, node, offset, w) {
    const img = env.images.read(node.filename ?? '');
    if (!img) return;
    const g = guestOf(img);
    // a qcow2 file overwritten as raw: what it held before is not modelled
    const extents = g.kind === 'raw' ? g.extents : [{ start: 0, bytes: fill(img.length, UNKNOWN_BYTE) }];
    const bytes = w.kind === 'data' ? w.bytes : zeros(w.length);
    const written = w.kind === 'zero' && w.unmap ? rawPunch(extents, offset, w.length) : rawWrite(extents, offset, bytes);
    const length = Math.max(img.length, offset + bytesLength(bytes));
    env.images.write({ ...img, length, guest: { kind: 'raw', extents: written } });
  },
};
