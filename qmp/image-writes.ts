// Validates a scenario image's `writes` (image-spec.ts): 512-byte granular ranges inside the image, pattern bytes,
// zero writes only on qcow2 and on whole clusters (a raw file's zeroes depend on the host file system).
import type { ImageWrite } from './image-spec.ts';
import { isRecord } from './json-value.ts';

const SECTOR = 512;
const DEFAULT_CLUSTER = 65536;

export interface WritesContext {
  readonly at: string;
  readonly format: 'qcow2' | 'raw';
  readonly size: number;
  readonly clusterSize: number | undefined;
}

/** The parsed list, or a message naming the field. */
export function parseWrites(v: unknown, c: WritesContext): readonly ImageWrite[] | string {
  if (!Array.isArray(v)) return `${c.at}: expected a list`;
  const out: ImageWrite[] = [];
  for (const [i, w] of v.entries()) {
    const one = writeOf(w, `${c.at}[${i}]`, c);
    if (typeof one === 'string') return one;
    out.push(one);
  }
  return out;
}

function writeOf(w: unknown, at: string, c: WritesContext): ImageWrite | string {
  if (!isRecord(w)) return `${at}: expected an object`;
  const key = Object.keys(w).find((k) => !['offset', 'length', 'pattern', 'zero'].includes(k));
  if (key !== undefined) return `${at}.${key}: unexpected field`;
  const { offset, length, pattern, zero } = w;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset % SECTOR !== 0) return `${at}.offset: expected a non-negative multiple of 512`;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length <= 0 || length % SECTOR !== 0) return `${at}.length: expected a positive multiple of 512`;
  // qemu-img rounds the size up to a sector: a write may end there
  if (offset + length > Math.ceil(c.size / SECTOR) * SECTOR) return `${at}.length: the write ends past the image's size`;
  if (zero !== undefined) {
    if (zero !== true) return `${at}.zero: expected true`;
    if (pattern !== undefined) return `${at}.pattern: a write is data or zero, not both`;
    if (c.format !== 'qcow2') return `${at}.zero: zero writes are for qcow2 images only`;
    const cs = c.clusterSize ?? DEFAULT_CLUSTER;
    if (offset % cs !== 0 || length % cs !== 0) return `${at}.zero: expected whole clusters (${cs} bytes)`;
    return { offset, length, zero: true };
  }
  if (typeof pattern !== 'number' || !Number.isInteger(pattern) || pattern < 0 || pattern > 255) return `${at}.pattern: expected a byte (0 to 255)`;
  return { offset, length, pattern };
}
