// block-commit: active (top = device) or intermediate (top-node below it) commit into a node further down.
import fc from 'fast-check';
import type { SnapNode } from '../../snapshot.ts';
import { mostly, obj, pick, sometimes, weighted } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import { chainBelow, freshName, namedNodes, rootNodes } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';
import { jobFields } from './job-start.ts';

/** The chain below `device` a command may name (backing nodes opened from image headers too, where names allow),
 * each with whether a backing (COW) edge lies below it: only such a top has a base of its own to commit into. */
function nameableBelow(s: GenState, device: SnapNode): { readonly node: SnapNode; readonly hasBase: boolean }[] {
  const chain = chainBelow(s, device);
  const above = [device, ...chain];
  // the edge from the node above (in the chain, not any other parent) is a backing edge
  const cowInto = chain.map((n, i) => s.snapshot.edges.some((e) => e.childId === n.id && e.parent.kind === 'node' && e.parent.id === above[i]?.id && e.role.kind === 'cow'));
  return chain.flatMap((node, i) => (s.autoNames === true || !node.autoNamed ? [{ node, hasBase: cowInto.slice(i + 1).some(Boolean) }] : []));
}

/**
 * The top: mostly one with a base under it (an intermediate commit more often than an active one, since it reaches
 * read-only bases opened from image headers), else the device (active), now and then any (top and base the same: refused).
 */
function topIndex(below: readonly { readonly hasBase: boolean }[]): fc.Arbitrary<number> {
  const good = below.flatMap((b, i) => (b.hasBase ? [i] : []));
  const any = fc.integer({ min: -1, max: below.length - 1 });
  // no base below any top: an active commit (the device's own backing) is the one that can start
  return mostly(good.length === 0 ? fc.constant(-1) : fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 3, arbitrary: pick(good) }), any, 6);
}

export const blockCommit: CommandKind = {
  kind: 'block-commit',
  weight: 3,
  // twice as likely where a root has a backing chain to commit, a third as likely where only filters are below
  weightIn: (s) => (rootNodes(s).some((n) => nameableBelow(s, n).some((b) => b.hasBase)) ? 6 : 1),
  applicable: (s) => rootNodes(s).some((n) => nameableBelow(s, n).length > 0),
  generate: (s) => {
    // devices over a backing chain first: over filters alone there is nothing to commit
    const devices = rootNodes(s).filter((n) => nameableBelow(s, n).length > 0);
    const device = weighted(devices, (n) => (nameableBelow(s, n).some((b) => b.hasBase) ? 4 : 1));
    return mostly(device, pick(namedNodes(s)), 10).chain((device: SnapNode) => {
      const below = nameableBelow(s, device).map((b) => b.node);
      const names = below.map((n) => n.name);
      // top before base in chain order, mostly: a base above its top is refused before anything interesting happens
      return topIndex(nameableBelow(s, device)).chain((t) => {
        const under = below.slice(t + 1);
        // read-only bases first: the commit must reopen them read-write and back (commit-keeps-base-rw)
        const base = under.length > 0 ? mostly(weighted(under, (n) => (n.readOnly ? 3 : 1)).map((n) => n.name), pick(names), 6) : pick(names.length > 0 ? names : [device.name]);
        return maybeInvalid(
          obj({
            ...jobFields(s),
            device: fc.constant(device.name),
            'top-node': fc.constant(t < 0 ? undefined : names[t]),
            'base-node': sometimes(base, under.length > 0 ? 2 : 4),
            'filter-node-name': sometimes(freshName(s), 4),
          }),
        );
      });
    }).map((args) => ({ execute: 'block-commit', arguments: args }));
  },
};
