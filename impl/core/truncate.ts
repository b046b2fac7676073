// bdrv_co_truncate: read-only check, then the driver's hook, else the filtered child's.
import type { BlockEnv } from './block-env.ts';
import type { BlockNode } from './graph.ts';
import { nodeLength, refreshLength } from './length.ts';
import { negativeOffset } from './deaths.ts';
import { dieAfterReply, dieNow } from './qemu-dies.ts';
import { fail } from './result.ts';
import type { Result } from './result.ts';

/** `inJob`: a job's coroutine truncates after the command replied, so an abort there is found by the next command. */
export function truncateNode(env: BlockEnv, node: BlockNode, size: number, inJob = false): Result<void> {
  // bs->drv == NULL (a fatal qcow2 corruption): bdrv_co_truncate's first check
  if (node.driverGone) return fail('io-error', 'No medium inserted');
  if (node.readOnly) return fail('read-only', 'Image is read-only');
  const old = nodeLength(node);
  let r: Result<void>;
  if (node.driver.truncate) r = node.driver.truncate(env, node, size);
  else {
    const filtered = node.children.find((e) => e.role.kind === 'filtered')?.child;
    if (!filtered) return fail('unsupported', 'Image format driver does not support resize');
    r = truncateNode(env, filtered, size, inJob);
    // the node on the path re-reads its length (refresh_total_sectors); its other parents keep theirs
    if (r.ok) refreshLength(node, size);
  }
  // bdrv_co_write_req_finish checks (new length - grown bytes) under &error_abort: negative when the refreshed
  // length is not the size asked for (blkverify's is its test child's, a raw's at an offset what remains of it)
  const start = nodeLength(node) - Math.max(0, size - old);
  if (r.ok && start < 0) {
    if (!inJob) dieNow(negativeOffset(start, false));
    dieAfterReply(env, negativeOffset(start, true));
  }
  return r;
}
