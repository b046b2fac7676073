// What a mirror's first pass writes at offset 0 of its target: the source's first bytes land in the image file
// below the target (a qcow2 header read through the source, or zeros), so a later open sees the new header.
import { childEdge, childEdges, filenameOf, filterChild, imageBelow, lengthOf, node, num, passThroughChild } from '../graph.ts';
import type { ModelState } from '../state.ts';

type Status = 'data' | 'zero' | 'none';

/** qemu-img writes a raw image's first 4 KiB (allocate_first_block): a mirror copies that whole first 64 KiB chunk,
 * so the hole after it only shows as ZERO in the chunks past it. */
const FIRST_CHUNK = 65536;

/** bdrv_co_block_status down the whole chain, at offset 0 or past the first block: a backing-less qcow2 reads as ZERO, null-co as neither. */
function blockStatus(s: ModelState, name: string, at: 'first' | 'tail', own = false): Status {
  const n = node(s, name);
  if (n.driver === 'file') {
    const image = at === 'tail' ? s.images[filenameOf(s, name) ?? ''] : undefined;
    return image?.format === 'raw' && image.length > FIRST_CHUNK ? 'zero' : 'data';
  }
  if (n.driver === 'null-co') return n.opts['read-zeroes'] === true ? 'zero' : 'none';
  if (n.driver === 'quorum') return childEdges(s, name).every((e) => blockStatus(s, e.child, at) === 'zero') ? 'zero' : 'data';
  if (n.driver === 'qcow2') {
    const b = childEdge(s, name, 'backing')?.child;
    // an unallocated cluster over a backing file: its own status is neither; only the walk above goes down to it
    return b === undefined ? 'zero' : own ? 'none' : blockStatus(s, b, at);
  }
  // BDRV_BLOCK_RAW hands raw's request to its file's own status (measured: a qcow2 below raw stops the walk)
  const c = passThroughChild(s, name);
  return c === undefined ? 'data' : blockStatus(s, c, at, own || n.driver === 'raw');
}

/** The file node a write at offset 0 of `name` reaches: raw (unshifted) and filters hand it to their child. */
function fileBelow(s: ModelState, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const n = node(s, name);
  if (n.driver === 'file') return name;
  if (n.driver === 'raw') return (num(n.opts, 'offset') ?? 0) === 0 ? fileBelow(s, childEdge(s, name, 'file')?.child) : undefined;
  return fileBelow(s, filterChild(s, name));
}

/** mirror_iteration on the first (dirty) chunk: DATA is read and copied, ZERO written as zeros, neither discarded. */
export function writeFirstChunk(s: ModelState, source: string, target: string): void {
  const file = fileBelow(s, target);
  const name = file === undefined ? undefined : filenameOf(s, file);
  const image = name === undefined ? undefined : s.images[name];
  if (name === undefined || image === undefined) return;
  const status = blockStatus(s, source, 'first');
  const from = status === 'data' ? imageBelow(s, source) : undefined;
  const header = status === 'zero' ? null : typeof from === 'string' ? s.images[from] : undefined;
  if (status === 'none' || header === undefined) return;
  // data all through is copied to the end: pwrite past a shrunk file's EOF extends it again
  const length = status === 'data' && blockStatus(s, source, 'tail') === 'data' ? Math.max(image.length, lengthOf(s, source)) : image.length;
  // zeros, or a raw image's (allocated, zero) first block, leave a file that no longer opens as qcow2
  if (header === null || header.format === 'raw') s.images[name] = { format: 'raw', length, virtualSize: length };
  else s.images[name] = { ...header, length };
}
