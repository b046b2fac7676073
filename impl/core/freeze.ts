// Frozen backing-chain links (bdrv_freeze_backing_chain): jobs and COR `bottom` pin a chain.
import type { BlockNode, Edge } from './graph.ts';
import { OK, fail } from './result.ts';
import type { Result } from './result.ts';
import type { Transaction } from './transaction.ts';

/** bdrv_filter_or_cow_child: the next link of a backing chain. */
export function chainLink(n: BlockNode): Edge | undefined {
  return n.children.find((e) => e.role.kind === 'cow' || (e.role.kind === 'filtered' && n.driver.isFilter));
}

function links(top: BlockNode, base: BlockNode | undefined): Edge[] {
  const out: Edge[] = [];
  for (let n: BlockNode | undefined = top; n && n !== base; ) {
    const e = chainLink(n);
    if (!e) break;
    out.push(e);
    n = e.child;
  }
  return out;
}

/** bdrv_is_backing_chain_frozen */
export function checkChainNotFrozen(top: BlockNode, base: BlockNode | undefined): Result<void> {
  for (const e of links(top, base)) {
    if (e.frozen && e.parent.kind === 'node') {
      return fail('frozen', `Cannot change '${e.name}' link from '${e.parent.node.name}' to '${e.child.name}'`);
    }
  }
  return OK;
}

export function freezeChain(tx: Transaction, top: BlockNode, base: BlockNode | undefined): Result<void> {
  const r = checkChainNotFrozen(top, base);
  if (!r.ok) return r;
  for (const e of links(top, base)) tx.set(e, 'frozen', true);
  return OK;
}

export function unfreezeChain(tx: Transaction, top: BlockNode, base: BlockNode | undefined): void {
  for (const e of links(top, base)) tx.set(e, 'frozen', false);
}
