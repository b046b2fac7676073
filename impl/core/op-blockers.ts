// Op blockers (bdrv_op_is_blocked), derived from the edges that cause them plus explicit ones.
import type { BlockNode, OpClass } from './graph.ts';
import { fail, OK } from './result.ts';
import type { Result } from './result.ts';

/** A COW parent blocks everything on its backing node except these (bdrv_backing_attach). */
const BACKING_ALLOWS: readonly OpClass[] = ['commit-target', 'stream', 'backup-source'];

/** bdrv_op_block_all: a reason that outlives the command (a mirror's replace blocker, from job-complete to the job's end). */
export function blockAll(node: BlockNode, reason: string): void {
  node.blockedFor = reason;
}

export function unblockAll(node: BlockNode): void {
  node.blockedFor = undefined;
}

/** The first blocker of `op` on `node`, newest first, as QEMU's blocker lists are ordered. */
export function blockerReason(node: BlockNode, op: OpClass): string | undefined {
  // set after the edges it would otherwise compete with, so it comes first
  if (node.blockedFor !== undefined) return node.blockedFor;
  for (const e of node.parents) {
    if (e.role.kind === 'cow' && e.parent.kind === 'node' && !BACKING_ALLOWS.includes(op)) {
      return `node is used as backing hd of '${e.parent.node.name}'`;
    }
    if (e.parent.kind === 'job' && op !== 'dataplane') {
      return `block device is in use by block job: ${e.parent.job.type}`;
    }
  }
  return undefined;
}

export function checkNotBlocked(node: BlockNode, op: OpClass): Result<void> {
  const reason = blockerReason(node, op);
  return reason === undefined ? OK : fail('busy', `Node '${node.name}' is busy: ${reason}`);
}
