// quorum: votes over N DATA children; never a filter, never shares write or resize on them.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { indexedChild, isIndexedChild } from '../../qmp/child-name.ts';
import { intersect, union, ALL_PERMS, RU, W } from '../../qmp/perm-set.ts';
import { OK, fail } from '../core/result.ts';
import { attachChild, detachChild } from '../core/attach.ts';
import { blockStatus } from '../core/block-status.ts';
import { skipFilters } from '../core/chain.ts';
import { DATA } from '../core/role.ts';
import { blockdevRef, bool, enumOf, int, listOf, opt, req } from '../qapi/schema.ts';
import { boolArg, intArg, strArg } from './common.ts';
import type { Driver } from './driver.ts';
import { stateOf } from './driver-state.ts';
import type { BlockNode } from '../core/graph.ts';
import { nodeLength } from '../core/length.ts';
import { quorumChildren, quorumRead } from './quorum-read.ts';
import { corruptsOnWrite } from './qcow2-clusters.ts';
import { quorumServed } from './small-served.ts';

/** quorum_getlength: the first child's length (the open has checked the others agree). */
function quorumLength(node: BlockNode): number {
  const first = node.children.find((c) => c.name === indexedChild(0));
  return first ? nodeLength(first.child) : 0;
}

export const quorum = Object.freeze<Driver<'quorum'>>({
  name: 'quorum',
  isFilter: false,
  isFormat: false,
  supportsBacking: false,
  isProtocol: false,
  fileOpen: true,
  schema: [
    opt('blkverify', bool),
    req('children', listOf(blockdevRef)),
    req('vote-threshold', int),
    opt('rewrite-corrupted', bool),
    opt('read-pattern', enumOf('quorum', 'fifo')),
  ],
  newState: () => ({ driver: 'quorum', threshold: 0, rewriteCorrupted: false, blkverify: false, claimsFilter: false, nextChildIndex: 0 }),
  open(ctx, args) {
    const children = (args['children'] as readonly JsonValue[] | undefined) ?? [];
    const threshold = intArg(args, 'vote-threshold') ?? 0;
    const fifo = strArg(args, 'read-pattern') === 'fifo';
    if (children.length < 1) return fail('invalid-param', 'Number of provided children must be 1 or more');
    if (threshold < 1) return fail('invalid-param', "Parameter 'vote-threshold' expects a value >= 1");
    if (threshold > children.length) return fail('invalid-param', 'threshold may not exceed children count');
    // With read-pattern=fifo, quorum_open ignores blkverify and rewrite-corrupted altogether.
    const blkverify = !fifo && (boolArg(args, 'blkverify') ?? false);
    const rewrite = !fifo && (boolArg(args, 'rewrite-corrupted') ?? false);
    if (blkverify && (children.length !== 2 || threshold !== 2)) {
      return fail('invalid-param', 'blkverify=on can only be set if there are exactly two files and vote-threshold is 2');
    }
    if (rewrite && blkverify) return fail('invalid-param', 'rewrite-corrupted=on cannot be used with blkverify=on');
    // child perms depend on these, so they must be set before the children are attached
    const s = stateOf(ctx.node, 'quorum');
    s.threshold = threshold;
    s.rewriteCorrupted = rewrite;
    s.blkverify = blkverify;
    // quirk quorum-is-filter (before "block: Fix check_to_replace_node()"): quorum claimed is_filter
    s.claimsFilter = ctx.env.behaviour.quirks.has('quorum-is-filter');
    for (let i = 0; i < children.length; i++) {
      const e = ctx.openChildFrom(children[i] as JsonObject | string, DATA, indexedChild(i));
      if (!e.ok) return e;
    }
    s.nextChildIndex = children.length;
    // quorum_co_getlength fails on children of different sizes, so refreshing the size fails the open
    const sizes = new Set(ctx.node.children.map((c) => nodeLength(c.child)));
    if (sizes.size > 1) return fail('io-error', 'Could not refresh total sector count: Input/output error');
    ctx.node.size = quorumLength(ctx.node);
    return OK;
  },
  length: quorumLength,
  childPerm(ctx) {
    const perm = intersect(ctx.perm, ALL_PERMS);
    return {
      perm: stateOf(ctx.node, 'quorum').rewriteCorrupted ? union(perm, W) : perm,
      shared: intersect(ctx.shared, RU),
    };
  },
  addChild(env, tx, node, child) {
    const s = stateOf(node, 'quorum');
    if (s.blkverify) return fail('unsupported', 'Cannot add a child to a quorum in blkverify mode');
    const index = s.nextChildIndex;
    const e = attachChild(env, tx, node, child, indexedChild(index), DATA);
    if (!e.ok) return e;
    tx.set(s, 'nextChildIndex', index + 1);
    return OK;
  },
  delChild(env, tx, node, edge) {
    const s = stateOf(node, 'quorum');
    const count = node.children.filter((c) => isIndexedChild(c.name)).length;
    if (count <= s.threshold) {
      return fail('invalid-param', `The number of children cannot be lower than the vote threshold ${s.threshold}`);
    }
    if (edge.name === indexedChild(s.nextChildIndex - 1)) tx.set(s, 'nextChildIndex', s.nextChildIndex - 1);
    detachChild(env, tx, edge);
    return OK;
  },
  recurseCanReplace(node, toReplace) {
    const edge = node.children.find((c) => isIndexedChild(c.name) && c.child === toReplace);
    // a "filter" quorum let any child be replaced, whoever else reads it
    if (stateOf(node, 'quorum').claimsFilter) return edge !== undefined;
    return edge !== undefined && toReplace.parents.length === 1 && toReplace.parents[0] === edge;
  },
  read: quorumRead,
  allocated: () => true,
  // quorum_co_block_status: ZERO only when every child says ZERO
  ...quorumServed,
  blockStatus: (env, node, at) => (node.children.every((c) => blockStatus(env, c.child, at) === 'zero') ? 'zero' : 'data'),
  // quorum_gather_child_options: one gap-less list, in the order the children were added
  gatherOptions(node, childOptions) {
    const kids = quorumChildren(node);
    const options: JsonObject = kids.length > 0 ? { children: kids.map((e) => childOptions(e.child)) } : {};
    return { options, children: kids };
  },
  // quorum_co_pwritev: fewer children written than the vote threshold fails the write
  firstWriteFails(env, node) {
    const written = node.children.filter((c) => !corruptsOnWrite(env, skipFilters(c.child))).length;
    return written < stateOf(node, 'quorum').threshold;
  },
});
