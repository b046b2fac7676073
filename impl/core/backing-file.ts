// bdrv_change_backing_file: rewrite an overlay's image header (the driver's hook; only qcow2 has one).
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';

const ENOTSUP = 95;

/** Returns 0 or a negative errno. */
export function changeBackingFile(env: BlockEnv, node: BlockNode, file: string | undefined, format: string | undefined): number {
  return node.driver.changeBackingFile ? node.driver.changeBackingFile(env, node, file, format) : -ENOTSUP;
}
