// bdrv_co_block_status and bdrv_co_common_block_status_above (block/io.c, QEMU 7.2) over the drivers' statusAt hooks:
// alignment, BDRV_BLOCK_RAW recursion, the generic ZERO/ALLOCATED rules, and the walk down filters and COW links.
import type { BlockEnv } from './block-env.ts';
import { filterBs, filterOrCowBs, cowBs } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';

export interface Status {
  readonly data: boolean;
  readonly zero: boolean;
  readonly allocated: boolean;
  readonly eof: boolean;
  readonly pnum: number;
}

export const requestAlignment = (n: BlockNode): number => n.driver.requestAlignment?.(n) ?? 1;

/** bdrv_co_block_status: one node (and what BDRV_BLOCK_RAW hands on to), [offset, offset + bytes). */
export function nodeStatus(env: BlockEnv, node: BlockNode, wantZero: boolean, offset: number, bytes: number): Status {
  const total = nodeLength(node);
  if (offset >= total) return { data: false, zero: false, allocated: false, eof: true, pnum: 0 };
  const n = Math.min(bytes, total - offset);
  const hook = node.driver.statusAt;
  const f = filterBs(node);
  // no bdrv_co_block_status: everything is data (blkverify, a node without a filtered child)
  if (!hook && !f) return { data: true, zero: false, allocated: true, eof: offset + n === total, pnum: n };
  const align = requestAlignment(node);
  const aOff = Math.floor(offset / align) * align;
  const aBytes = Math.ceil((offset + n) / align) * align - aOff;
  const own = hook ? hook(env, node, aOff, aBytes, wantZero) : { kind: 'raw' as const, child: f!, offset: aOff };
  const pnumAligned = own.kind === 'raw' ? aBytes : own.pnum;
  const pnum = Math.min(pnumAligned - (offset - aOff), n);
  if (own.kind === 'raw') {
    const r = nodeStatus(env, own.child, wantZero, own.offset + (offset - aOff), pnum);
    return { ...r, eof: r.eof || offset + r.pnum === total };
  }
  let zero = own.zero;
  const allocated = own.data || own.zero;
  if (!allocated && node.driver.supportsBacking) {
    const cow = cowBs(node);
    if (!cow) zero = true;
    else if (wantZero && offset >= nodeLength(cow)) zero = true;
  }
  return { data: own.data, zero, allocated, eof: offset + pnum === total, pnum };
}

/** bdrv_co_common_block_status_above(bs, NULL): the first layer that has the range allocated, and how deep it is. */
export function statusAbove(env: BlockEnv, node: BlockNode, wantZero: boolean, offset: number, bytes: number): Status & { readonly depth: number } {
  let r = nodeStatus(env, node, wantZero, offset, bytes);
  let depth = 1;
  if (r.pnum === 0 || r.allocated) return { ...r, depth };
  const eof = r.eof ? offset + r.pnum : 0;
  let n = r.pnum;
  for (let p = below(env, node); p; p = below(env, p)) {
    r = nodeStatus(env, p, wantZero, offset, n);
    depth++;
    // the layer is short: zeros synthesized past its end count as allocated there
    if (r.pnum === 0) {
      r = { data: false, zero: true, allocated: true, eof: false, pnum: n };
      break;
    }
    if (r.allocated) {
      r = { ...r, eof: false };
      break;
    }
    n = r.pnum;
  }
  return { ...r, eof: offset + r.pnum === eof, depth };
}

/** The next layer the walk asks: filters and COW (7.2); only `backing` links with the quirk status-stops-at-filters. */
function below(env: BlockEnv, n: BlockNode): BlockNode | undefined {
  if (env.behaviour.quirks.has('status-stops-at-filters')) return n.children.find((c) => c.name === 'backing')?.child;
  return filterOrCowBs(n);
}

/** bdrv_is_allocated: the node's own layer only. */
export function allocatedLocally(env: BlockEnv, node: BlockNode, offset: number, bytes: number): Status {
  return nodeStatus(env, node, false, offset, bytes);
}
