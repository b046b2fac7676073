// Where the impl does not follow block status: a qcow2 image file read as raw once clusters were written into it
// (how qcow2 lays a partly written cluster out in the host file, holes and all, is not modelled).
import type { BlockEnv } from './block-env.ts';
import { passThroughChild } from './chain.ts';
import type { BlockNode } from './graph.ts';

/** Undefined when the node's block status is modelled; else why not. */
export function statusFollowed(env: BlockEnv, node: BlockNode, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  const img = node.driver.isProtocol && node.filename !== undefined ? env.images.read(node.filename) : undefined;
  if (img?.header.kind === 'qcow2' && (img.dataClusters?.length ?? 0) > 0) return `the host layout of '${node.filename}' as raw`;
  // requests pass to raw's file and filters' children; a quorum asks every child
  const next = node.driver.requestChild || node.driver.isFilter ? [passThroughChild(node)] : node.driver.isFormat ? [] : node.children.map((c) => c.child);
  for (const c of next) {
    const why = c ? statusFollowed(env, c, depth + 1) : undefined;
    if (why !== undefined) return why;
  }
  return undefined;
}
