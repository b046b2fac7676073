// blkverify: a filter over `raw` that compares every read with its `test` (DATA) child.
import { canReplaceBelow } from '../core/can-replace.ts';
import { OK } from '../core/result.ts';
import { nodeLength } from '../core/length.ts';
import { DATA, FILTERED_PRIMARY } from '../core/role.ts';
import { blockdevRef, req } from '../qapi/schema.ts';
import type { Driver } from './driver.ts';
import type { BlockNode } from '../core/graph.ts';

/** blkverify_getlength: the test child's length, although `raw` is the filtered child. */
function blkverifyLength(node: BlockNode): number {
  const test = node.children.find((c) => c.name === 'test')?.child;
  return test ? nodeLength(test) : 0;
}

export const blkverify = Object.freeze<Driver>({
  name: 'blkverify',
  isFilter: true,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  schema: [req('test', blockdevRef), req('raw', blockdevRef)],
  open(ctx) {
    const rawEdge = ctx.openChild('raw', FILTERED_PRIMARY);
    if (!rawEdge.ok) return rawEdge;
    const testEdge = ctx.openChild('test', DATA);
    if (!testEdge.ok) return testEdge;
    ctx.node.size = blkverifyLength(ctx.node);
    return OK;
  },
  length: blkverifyLength,
  recurseCanReplace(node, toReplace) {
    return node.children.some((c) => (c.name === 'raw' || c.name === 'test') && canReplaceBelow(c.child, toReplace));
  },
});
