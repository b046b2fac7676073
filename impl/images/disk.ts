// Images as they lie in a directory (qcow2 headers parsed, raw by length); writes stay in an in-memory overlay.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImageFile, ImageStore, Qcow2Header } from './image-store.ts';

const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"
const EXT_END = 0x00000000;
const EXT_BACKING_FORMAT = 0xe2792aca;
const V2_HEADER_LENGTH = 72;
const V3_MIN_HEADER_LENGTH = 104;

export type Qcow2ParseResult =
  | { readonly ok: true; readonly header: Qcow2Header; readonly version: 2 | 3 }
  | { readonly ok: false; readonly error: { readonly code: 'not-qcow2' | 'bad-header'; readonly message: string } };

/** Reads the directory lazily on each read(); the directory itself is never written. */
export class DiskImageStore implements ImageStore {
  private readonly overlay = new Map<string, ImageFile>();

  constructor(private readonly dir: string) {}

  read(filename: string): ImageFile | undefined {
    return this.overlay.get(filename) ?? readImageFile(resolve(this.dir, filename), filename);
  }

  write(file: ImageFile): void {
    this.overlay.set(file.filename, file);
  }
}

/** A file with a valid qcow2 header is qcow2; anything else (a broken header too) is raw bytes. */
export function readImageFile(path: string, filename: string): ImageFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const head = readAt(fd, 0, Math.min(st.size, V3_MIN_HEADER_LENGTH + 8));
    const clusterBits = head.length >= 24 ? head.readUInt32BE(20) : 0;
    // header, extensions and backing file name all live in the first cluster
    const first = clusterBits >= 9 && clusterBits <= 21 ? readAt(fd, 0, Math.min(st.size, 2 ** clusterBits)) : head;
    const parsed = parseQcow2Header(first);
    return { filename, length: st.size, header: parsed.ok ? parsed.header : { kind: 'raw' } };
  } finally {
    closeSync(fd);
  }
}

/** Parses a qcow2 header (v2 or v3) from the image's first cluster. */
export function parseQcow2Header(buf: Buffer): Qcow2ParseResult {
  const bad = (message: string): Qcow2ParseResult => ({ ok: false, error: { code: 'bad-header', message } });
  if (buf.length < 4 || buf.readUInt32BE(0) !== QCOW2_MAGIC) return { ok: false, error: { code: 'not-qcow2', message: 'no qcow2 magic' } };
  if (buf.length < V2_HEADER_LENGTH) return bad('header truncated');
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return bad(`unsupported qcow2 version ${version}`);
  const backingOffset = Number(buf.readBigUInt64BE(8));
  const backingSize = buf.readUInt32BE(16);
  const clusterBits = buf.readUInt32BE(20);
  const virtualSize = Number(buf.readBigUInt64BE(24));
  if (clusterBits < 9 || clusterBits > 21) return bad(`cluster_bits ${clusterBits} out of range`);
  let extStart = V2_HEADER_LENGTH;
  if (version === 3) {
    if (buf.length < V3_MIN_HEADER_LENGTH) return bad('v3 header truncated');
    extStart = buf.readUInt32BE(100);
    if (extStart < V3_MIN_HEADER_LENGTH) return bad(`header_length ${extStart} too small`);
  }
  const backingFormat = findBackingFormat(buf, extStart);
  if (backingFormat === null) return bad('header extension runs past the first cluster');
  let backingFile: string | undefined;
  if (backingOffset !== 0) {
    if (backingOffset + backingSize > buf.length) return bad('backing file name outside the first cluster');
    backingFile = buf.toString('utf8', backingOffset, backingOffset + backingSize);
  }
  return {
    ok: true,
    version,
    header: {
      kind: 'qcow2',
      virtualSize,
      clusterSize: 2 ** clusterBits,
      ...(backingFile !== undefined ? { backingFile } : {}),
      ...(backingFile !== undefined && backingFormat !== undefined ? { backingFormat } : {}),
    },
  };
}

/** The backing-format extension's text, undefined if absent, null if the extension list is malformed. */
function findBackingFormat(buf: Buffer, start: number): string | undefined | null {
  let at = start;
  while (at + 8 <= buf.length) {
    const type = buf.readUInt32BE(at);
    const len = buf.readUInt32BE(at + 4);
    if (type === EXT_END) return undefined;
    if (at + 8 + len > buf.length) return null;
    if (type === EXT_BACKING_FORMAT) return buf.toString('utf8', at + 8, at + 8 + len);
    // extension data is padded to a multiple of 8 bytes
    at += 8 + Math.ceil(len / 8) * 8;
  }
  return undefined;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}
