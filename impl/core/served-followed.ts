// Where the impl does not follow block status: a qcow2 image file read as raw once a write allocated a cluster it did
// not cover (qcow2 zeroes the rest with fallocate: the holes that leaves in the host file are not modelled), or once
// a job wrote into it (which clusters its writes allocate in which order is not followed).
import type { BlockEnv } from './block-env.ts';
import { cowBs, passThroughChild } from './chain.ts';
import type { BlockNode } from './graph.ts';

/** Undefined when the node's block status is modelled; else why not. */
export function statusFollowed(env: BlockEnv, node: BlockNode, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  const img = node.driver.isProtocol && node.filename !== undefined ? env.images.read(node.filename) : undefined;
  if (img?.header.kind === 'qcow2' && (img.partialClusters === true || img.rewritten === true)) return `the host layout of '${node.filename}' as raw`;
  // requests pass to raw's file and filters' children, a format's unallocated ranges to its backing; a quorum asks
  // every child
  const next = node.driver.requestChild || node.driver.isFilter ? [passThroughChild(node)] : node.driver.isFormat ? [cowBs(node)] : node.children.map((c) => c.child);
  for (const c of next) {
    const why = c ? statusFollowed(env, c, depth + 1) : undefined;
    if (why !== undefined) return why;
  }
  return undefined;
}
