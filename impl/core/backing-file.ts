// bdrv_change_backing_file: rewrite an overlay's image header (only qcow2 can).
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';

/** Returns 0 or a negative errno (-ENOTSUP = -95). */
export function changeBackingFile(env: BlockEnv, node: BlockNode, file: string | undefined, format: string | undefined): number {
  if (node.driver.name !== 'qcow2') return -95;
  node.backingFile = file;
  node.autoBackingFile = file;
  node.backingFormat = file === undefined ? undefined : format;
  const img = env.images.read(node.filename ?? '');
  if (img && img.header.kind === 'qcow2') {
    env.images.write({ ...img, header: { ...img.header, backingFile: file, backingFormat: node.backingFormat } });
  }
  return 0;
}
