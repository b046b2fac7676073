// How two normalized graphs differ when they have the same shape: only in read-only flags, only in perms, or more.
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';

export interface Delta {
  readonly readOnly: boolean;
  readonly perms: boolean;
}

/** Undefined when nodes, drivers or edges differ; else which of read-only flags and perms do. */
export function sameShape(a: NormalizedGraph, b: NormalizedGraph): Delta | undefined {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return undefined;
  let readOnly = false;
  let perms = false;
  for (const [i, x] of a.nodes.entries()) {
    const y = b.nodes[i];
    if (y === undefined || x.name !== y.name || x.type !== y.type) return undefined;
    if (x.type === 'block-driver' && y.type === 'block-driver') {
      if (x.drv !== y.drv) return undefined;
      readOnly ||= x.ro !== y.ro;
    }
  }
  for (const [i, x] of a.edges.entries()) {
    const y = b.edges[i];
    if (y === undefined || x.parent !== y.parent || x.name !== y.name || x.child !== y.child) return undefined;
    perms ||= x.perm.join() !== y.perm.join() || x['shared-perm'].join() !== y['shared-perm'].join();
  }
  return { readOnly, perms };
}
