// Inputs on which QEMU 7.2 aborts instead of answering; the impl reports them as typed outcomes.
import type { JsonObject } from '../qmp/types.ts';
import type { BlockEnv } from './core/block-env.ts';

/** Returns QEMU's stderr text when 7.2 would abort on this command, else undefined. */
export function qemuAbortFor(env: BlockEnv, name: string, args: JsonObject): string | undefined {
  if (env.deferredAbort !== undefined) return env.deferredAbort;
  // A concluded stream job keeps its edge to the copy-on-read node it already freed: walking the
  // node list then dereferences freed memory (SIGSEGV, nothing on stderr).
  if ((name === 'query-named-block-nodes' || name === 'x-debug-query-block-graph') && [...env.jobs.values()].some((j) => j.type === 'stream' && j.status === 'concluded' && j.parent.edges.length > 0)) {
    return '';
  }
  if (name === 'blockdev-reopen' && Array.isArray(args['options']) && args['options'].length === 0) {
    return "qemu-storage-daemon: ../../block.c:4390: bdrv_reopen_multiple: Assertion `bs_queue != NULL' failed.\n";
  }
  return undefined;
}
