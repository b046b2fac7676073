// quorum_co_preadv: fifo reads the first child; otherwise the most common version must reach the threshold.
import type { BlockEnv } from '../core/block-env.ts';
import { ZEROS, sameContent } from '../core/content.ts';
import type { Content } from '../core/content.ts';
import type { BlockNode } from '../core/graph.ts';
import { data, readContent } from '../core/read-content.ts';
import type { ReadResult } from '../core/read-content.ts';
import { stateOf } from './driver-state.ts';
import { childIndex, isIndexedChild } from '../../qmp/child-name.ts';
import type { Edge } from '../core/graph.ts';

/** s->children in index order (node.children lists the newest edge first). */
export function quorumChildren(node: BlockNode): Edge[] {
  return node.children.filter((c) => isIndexedChild(c.name)).sort((a, b) => (childIndex(a.name) ?? 0) - (childIndex(b.name) ?? 0));
}

export function quorumRead(env: BlockEnv, node: BlockNode, request: number): ReadResult {
  const kids = quorumChildren(node).map((c) => c.child);
  if (node.options['read-pattern'] === 'fifo') return kids[0] ? readContent(env, kids[0], request) : data(ZEROS);
  // quorum_count_vote puts each new version at the head of the list, and the first with the most votes wins a tie
  const versions: { readonly content: Content; votes: number }[] = [];
  for (const k of kids) {
    const r = readContent(env, k, request);
    if (r.kind === 'exit') return r;
    if (r.kind !== 'data') continue;
    const v = versions.find((x) => sameContent(x.content, r.content));
    if (v) v.votes++;
    else versions.unshift({ content: r.content, votes: 1 });
  }
  let winner: Content = ZEROS;
  let best = 0;
  for (const v of versions) {
    if (v.votes > best) [winner, best] = [v.content, v.votes];
  }
  return best >= stateOf(node, 'quorum').threshold ? data(winner) : { kind: 'eio' };
}
