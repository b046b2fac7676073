// What `qemu-img map` prints for a node exported over NBD by QEMU 7.2 (nbd/server.c, block/nbd.c, qemu-img.c): the
// server answers each NBD_CMD_BLOCK_STATUS (REQ_ONE) with one run of equal flags from the offset asked; the client
// rounds an extent shorter than the advertised block size up to it (and calls it data), longer ones down. A status of 0
// bytes inside the export makes the server loop for good (QEMU hangs).
import { overlayExtents, servedExtent, type ServedExtent } from '../../qmp/observation.ts';
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';
import { hangNow } from './qemu-dies.ts';
import { allocatedLocally, requestAlignment, statusAbove } from './served-status.ts';

// NBD_STATE_HOLE, NBD_STATE_ZERO; qemu:allocation-depth's values 0 (unallocated), 1 (local), 2 (backing)
const HOLE = 1;
const ZERO = 2;

type Context = 'base:allocation' | 'qemu:allocation-depth';

/** NBD_STATE_ZERO: what qemu-img convert writes as zeros without reading. */
export const isZeroExtent = (flags: number): boolean => (flags & ZERO) !== 0;

/** One server answer's flags and length at `offset` (blockstatus_to_extents / blockalloc_to_extents). */
function oneStatus(env: BlockEnv, node: BlockNode, ctx: Context, offset: number, bytes: number): { flags: number; pnum: number } {
  if (ctx === 'base:allocation') {
    const s = statusAbove(env, node, true, offset, bytes);
    return { flags: (s.data ? 0 : HOLE) | (s.zero ? ZERO : 0), pnum: s.pnum };
  }
  const local = allocatedLocally(env, node, offset, bytes);
  if (local.allocated) return { flags: 1, pnum: local.pnum };
  const deep = statusAbove(env, node, false, offset, local.pnum);
  return { flags: deep.allocated ? 2 : 0, pnum: deep.pnum };
}

const LOOP: Readonly<Record<Context, string>> = { 'base:allocation': 'blockstatus_to_extents', 'qemu:allocation-depth': 'blockalloc_to_extents' };

/** An answer of 0 bytes inside the export: nbd_extent_array_add ignores it and the loop asks the same offset forever. */
function advancing(s: { flags: number; pnum: number }, node: BlockNode, ctx: Context, offset: number): { flags: number; pnum: number } {
  if (s.pnum > 0) return s;
  return hangNow(`nbd/server.c ${LOOP[ctx]}: block status of '${node.name}' answers 0 bytes at offset ${offset}, inside its length (a node below it ends sooner), and the export's coroutine asks again forever without yielding`);
}

/** The server's single extent (nbd_extent_array_add merges equal flags until the next differs). */
function serverExtent(env: BlockEnv, node: BlockNode, ctx: Context, offset: number, end: number): { flags: number; length: number } {
  const first = advancing(oneStatus(env, node, ctx, offset, end - offset), node, ctx, offset);
  let length = first.pnum;
  while (offset + length < end) {
    const next = advancing(oneStatus(env, node, ctx, offset + length, end - offset - length), node, ctx, offset + length);
    if (next.flags !== first.flags) break;
    length += next.pnum;
  }
  return { flags: first.flags, length };
}

/** The client's view, extent by extent as it asks (qemu-img convert reads each before asking on), as qemu-img map reads
 * it (x-dirty-bitmap reads depth values as flags). */
export function* clientExtents(env: BlockEnv, node: BlockNode, ctx: Context): Generator<{ start: number; length: number; flags: number }> {
  const len = nodeLength(node);
  const min = requestAlignment(node);
  for (let at = 0; at < len; ) {
    const e = serverExtent(env, node, ctx, at, len);
    let { length, flags } = e;
    // nbd_parse_blockstatus_payload: an unaligned extent is cut back, or rounded up to one block of plain data
    if (min > 1 && length % min !== 0 && at + length < len) {
      if (length > min) length -= length % min;
      else {
        length = min;
        flags = 0;
      }
    }
    length = Math.min(length, len - at);
    yield { start: at, length, flags };
    at += length;
  }
}

/**
 * nbd/client.c nbd_opt_info_or_go: qemu-img refuses an export whose size is not a multiple of the minimum block size
 * the server advertises (the node's request alignment), so neither map nor convert reads it.
 */
export const clientRefuses = (node: BlockNode): boolean => {
  const min = requestAlignment(node);
  return min > 1 && nodeLength(node) % min !== 0;
};

/** Both contexts overlaid: the extents of an observe-block-status step (qmp/observation.ts). */
export function servedExtents(env: BlockEnv, node: BlockNode): ServedExtent[] {
  const status = [...clientExtents(env, node, 'base:allocation')];
  const depth = [...clientExtents(env, node, 'qemu:allocation-depth')];
  return overlayExtents(status, depth, (start, length, f, d) =>
    servedExtent(start, length, d.flags === 1 ? 1 : d.flags === 2 ? 2 : 0, (f.flags & ZERO) !== 0, (f.flags & HOLE) === 0),
  );
}
