// A shrinking truncate of an image file cuts its header: what qcow2_do_open then reads (zeros past EOF).
import type { ImageFile, Qcow2Header } from './image-store.ts';
import { rawTruncate } from './guest-data.ts';
import { backingNameOffset } from './qcow2-header-bytes.ts';
// header fields qcow2_do_open checks in order: magic, version, cluster_bits, header_length
const VERSION_END = 8;
const CLUSTER_BITS_END = 24;
const V3_HEADER_END = 104;

/** The file after `truncate(length)`: a shorter qcow2 file keeps only the header bytes before the new end. */
export function truncateImage(img: ImageFile, length: number): ImageFile {
  // a raw guest's extents say where it is written; any other file was written up to its length, and stays so only up
  // to the shortest length it was cut to
  const guest = img.guest?.kind === 'raw' ? { guest: { kind: 'raw' as const, extents: rawTruncate(img.guest.extents, length) } } : {};
  const written = img.header.kind === 'raw' && img.guest?.kind !== 'qcow2' ? {} : { writtenEnd: Math.min(img.writtenEnd ?? img.length, length) };
  if (img.header.kind !== 'qcow2' || length >= img.length) return { ...img, length, ...guest, ...written };
  return { ...img, length, header: cutQcow2Header(img.header, length), ...written };
}

function cutQcow2Header(h: Qcow2Header, length: number): ImageFile['header'] {
  if (length < 4) return { kind: 'raw' };
  if (length < VERSION_END) return { kind: 'broken-qcow2', message: 'Unsupported qcow2 version 0', probesAsQcow2: false };
  if (length < CLUSTER_BITS_END) return { kind: 'broken-qcow2', message: 'Unsupported cluster size: 2^0', probesAsQcow2: true };
  if (length < V3_HEADER_END) return { kind: 'broken-qcow2', message: 'qcow2 header too short', probesAsQcow2: true };
  if (h.backingFile === undefined) return h;
  // the name is read as a C string: zeros past EOF end it early, and an empty name means no backing file
  const kept = Buffer.from(h.backingFile, 'utf8').subarray(0, Math.max(0, length - backingNameOffset(h))).toString('utf8');
  if (kept === h.backingFile) return h;
  const { backingFile: _name, backingFormat: _format, ...rest } = h;
  return kept === '' ? rest : { ...rest, backingFile: kept, ...(h.backingFormat !== undefined ? { backingFormat: h.backingFormat } : {}) };
}
