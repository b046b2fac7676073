// What a mirror's first pass writes at offset 0 of its target: the source's first bytes land in the image file
// below the target (a qcow2 header read through the source, or zeros), so a later open sees the new header.
import { childEdge, childEdges, filenameOf, filterChild, imageBelow, node, num } from '../graph.ts';
import type { ModelState } from '../state.ts';

type Status = 'data' | 'zero' | 'none';

/** bdrv_co_block_status at offset 0 down the whole chain: a backing-less qcow2 reads as ZERO, null-co as neither. */
function blockStatus(s: ModelState, name: string): Status {
  const n = node(s, name);
  if (n.driver === 'file') return 'data';
  if (n.driver === 'null-co') return n.opts['read-zeroes'] === true ? 'zero' : 'none';
  if (n.driver === 'quorum') return childEdges(s, name).every((e) => blockStatus(s, e.child) === 'zero') ? 'zero' : 'data';
  if (n.driver === 'qcow2') {
    const b = childEdge(s, name, 'backing')?.child;
    return b === undefined ? 'zero' : blockStatus(s, b);
  }
  const c = n.driver === 'raw' ? childEdge(s, name, 'file')?.child : filterChild(s, name);
  return c === undefined ? 'data' : blockStatus(s, c);
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
  const status = blockStatus(s, source);
  const from = status === 'data' ? imageBelow(s, source) : undefined;
  const header = status === 'zero' ? null : typeof from === 'string' ? s.images[from] : undefined;
  if (status === 'none' || header === undefined) return;
  // zeros, or a raw image's (allocated, zero) first block, leave a file that no longer opens as qcow2
  const { length } = image;
  if (header === null || header.format === 'raw') s.images[name] = { format: 'raw', length, virtualSize: length };
  else s.images[name] = { ...header, length };
}
