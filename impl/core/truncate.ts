// bdrv_co_truncate: read-only check, then the driver's hook, else the filtered child's.
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { fail } from './result.ts';
import type { Result } from './result.ts';

export function truncateNode(env: BlockEnv, node: BlockNode, size: number): Result<void> {
  if (node.readOnly) return fail('read-only', 'Image is read-only');
  if (node.driver.truncate) return node.driver.truncate(env, node, size);
  const filtered = node.children.find((e) => e.role.kind === 'filtered')?.child;
  if (!filtered) return fail('unsupported', 'Image format driver does not support resize');
  const r = truncateNode(env, filtered, size);
  if (r.ok) node.size = filtered.size;
  return r;
}
