// Node lookups with QEMU's error texts (bdrv_lookup_bs, bdrv_find_node).
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { fail, ok } from './result.ts';
import type { Result } from './result.ts';

/** bdrv_lookup_bs(device, node_name): qsd has no named devices, so only node names resolve. */
export function lookupBs(env: BlockEnv, device: string | undefined, nodeName: string | undefined): Result<BlockNode> {
  const n = nodeName !== undefined ? env.graph.nodes.get(nodeName) : undefined;
  if (n) return ok(n);
  return fail('not-found', `Cannot find device='${device ?? ''}' nor node-name='${nodeName ?? ''}'`);
}

export function findNode(env: BlockEnv, name: string): Result<BlockNode> {
  const n = env.graph.nodes.get(name);
  return n ? ok(n) : fail('not-found', `Failed to find node with node-name='${name}'`);
}
