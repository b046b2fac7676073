// What reads and writes of guest bytes do at any offset (the drivers' readAt/writeAt hooks, driver-served.ts): filters
// pass them to their filtered child; past a node's end reads are zeros (bdrv_aligned_preadv).
import type { ServedRead } from '../drivers/driver-served.ts';
import { concat, zeros } from '../images/bytes.ts';
import type { GuestWrite } from '../images/qcow2-guest.ts';
import type { BlockEnv } from './block-env.ts';
import { filterBs } from './chain.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength } from './length.ts';

export function readAt(env: BlockEnv, node: BlockNode, offset: number, length: number): ServedRead {
  const inside = Math.max(0, Math.min(length, nodeLength(node) - offset));
  if (inside === 0) return { kind: 'bytes', bytes: zeros(length) };
  const r = readInside(env, node, offset, inside);
  return r.kind === 'bytes' && inside < length ? { kind: 'bytes', bytes: concat(r.bytes, zeros(length - inside)) } : r;
}

function readInside(env: BlockEnv, node: BlockNode, offset: number, length: number): ServedRead {
  if (node.driver.readAt) return node.driver.readAt(env, node, offset, length);
  const f = filterBs(node);
  return f ? readAt(env, f, offset, length) : { kind: 'bytes', bytes: zeros(length) };
}

export function writeAt(env: BlockEnv, node: BlockNode, offset: number, w: GuestWrite): void {
  if (node.driver.writeAt) return node.driver.writeAt(env, node, offset, w);
  const f = filterBs(node);
  if (f) writeAt(env, f, offset, w);
}
