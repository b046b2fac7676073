// blockdev-mirror: mirror a root node to a target node; sometimes `replaces` a node below, sometimes a named filter.
import fc from 'fast-check';
import type { SnapEdge, SnapNode } from '../../snapshot.ts';
import { mostly, obj, pick, sometimes, weighted } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import { childEdgesOf, freshName, namedNodes, parentEdgesOf, rootNodes, subgraphBelow } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';
import { jobFields } from './job-start.ts';
import { isIndexedChild } from '../../../qmp/child-name.ts';

/**
 * Mostly a writable node of the device's size (a read-only one is refused, one of another size fails the job
 * before it is ready, so completion is never reached), free ones first; targets that share nodes with the
 * device's subgraph get extra room, since that is where the target-in-chain, replacement and loop checks apply.
 */
function targetArb(s: GenState, device: SnapNode): fc.Arbitrary<SnapNode> {
  const others = namedNodes(s).filter((n) => n.id !== device.id);
  if (others.length === 0) return fc.constant(device);
  const under = new Set([device.id, ...subgraphBelow(s, device).map((m) => m.id)]);
  const weight = (n: SnapNode): number => {
    const free = parentEdgesOf(s, n).length === 0;
    const overlap = under.has(n.id) || subgraphBelow(s, n).some((m) => under.has(m.id));
    return 1 + (free ? 2 : 0) + (overlap ? 2 : 0);
  };
  const fit = others.filter((n) => n.size === device.size && !n.readOnly);
  return fit.length === 0 ? weighted(others, weight) : mostly(weighted(fit, weight), weighted(others, weight), 6);
}

/** Nodes check_to_replace_node may accept below `n`: down through filters and quorum children. */
function replaceableBelow(s: GenState, n: SnapNode, depth = 0): SnapNode[] {
  const through = (e: SnapEdge): boolean => (n.isFilter && e.role.kind === 'filtered') || (n.driver === 'quorum' && isIndexedChild(e.name));
  const kids = childEdgesOf(s, n).filter(through).flatMap((e) => s.snapshot.nodes.filter((m) => m.id === e.childId));
  return depth > 8 ? [] : [n, ...kids.flatMap((k) => replaceableBelow(s, k, depth + 1))];
}

/**
 * `replaces`: mostly a node the device's subgraph offers, those check_to_replace_node may accept first, those
 * with several parents doubly (the replacement must move some parents and keep others), now and then any named
 * node (refused).
 */
function replacesArb(s: GenState, device: SnapNode): fc.Arbitrary<string> {
  const replaceable = new Set(replaceableBelow(s, device).map((n) => n.id));
  const below = [device, ...subgraphBelow(s, device)].filter((n) => !n.autoNamed);
  const weight = (n: SnapNode): number => (replaceable.has(n.id) ? 3 : 1) * (parentEdgesOf(s, n).length >= 2 ? 2 : 1);
  return mostly(weighted(below, weight), pick(namedNodes(s)), 8).map((n) => n.name);
}

/**
 * A root, more likely the more there is below it (a job over a lone leaf has little to copy, replace or freeze),
 * and more again when a node below it has other parents too (what a replacement must move or keep).
 */
export function deviceArb(s: GenState): fc.Arbitrary<SnapNode> {
  return weighted(rootNodes(s), (n) => {
    const below = subgraphBelow(s, n);
    return 1 + Math.min(below.length, 3) + (below.some((m) => parentEdgesOf(s, m).length >= 2) ? 3 : 0);
  });
}

export const blockdevMirror: CommandKind = {
  kind: 'blockdev-mirror',
  // the richest job command (target checks, replaces, filter, pivot at completion) needs the most draws
  weight: 5,
  applicable: (s) => rootNodes(s).length > 0 && namedNodes(s).length > 1,
  generate: (s) =>
    mostly(deviceArb(s), pick(namedNodes(s)), 10)
      .chain((device: SnapNode) =>
        maybeInvalid(
          obj({
            ...jobFields(s),
            device: fc.constant(device.name),
            target: targetArb(s, device).map((n) => n.name),
            sync: mostly(fc.constantFrom('full', 'top', 'none'), fc.constant('incremental'), 20),
            // the replacing form more often than not: the plain pivot is the same every time
            replaces: mostly<string | undefined>(replacesArb(s, device), fc.constant(undefined), 3),
            'filter-node-name': sometimes(freshName(s), 4),
          }),
        ),
      )
      .map((args) => ({ execute: 'blockdev-mirror', arguments: args })),
};
