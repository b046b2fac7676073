// The invariants the checker runs after every step. OBSERVED ones judge what any target shows (the graph view
// built from the impl, or from a build's x-debug-query-block-graph, query-named-block-nodes, query-jobs and
// query-block-exports), in the order they are tried: structure first, so later checks can rely on it, then the
// failed-command rule, whose breach is the root cause of anything after it. IMPL_ONLY ones read the impl's insides
// (its parent lists, recorded options, a speculative edit): the impl's own extra diagnostics.
import { edgePermsMatchDriverRules } from './edge-perms-match-driver-rules.ts';
import { failedCommandLeavesGraphUnchanged } from './failed-command-leaves-graph-unchanged.ts';
import { filterHasOneFilteredChild } from './filter-has-one-filtered-child.ts';
import { graphIsAcyclic } from './graph-is-acyclic.ts';
import type { Invariant } from './invariant.ts';
import { mirrorTopDropNeverFails } from './mirror-top-drop-never-fails.ts';
import { noDanglingEdges } from './no-dangling-edges.ts';
import { optionsMatchGraph } from './options-match-graph.ts';
import { readOnlyNodesHaveNoWriters } from './read-only-nodes-have-no-writers.ts';
import { sharedPermsCompatible } from './shared-perms-compatible.ts';
import { contentPreserved } from './content-preserved.ts';
import { filterServesItsChild } from './filter-serves-its-child.ts';
import { statusExtentsAligned } from './status-extents-aligned.ts';

export const OBSERVED: readonly Invariant[] = [
  graphIsAcyclic,
  failedCommandLeavesGraphUnchanged,
  filterHasOneFilteredChild,
  sharedPermsCompatible,
  edgePermsMatchDriverRules,
  readOnlyNodesHaveNoWriters,
  // what the graph serves (observation steps)
  statusExtentsAligned,
  filterServesItsChild,
  contentPreserved,
];

export const IMPL_ONLY: readonly Invariant[] = [noDanglingEdges, optionsMatchGraph, mirrorTopDropNeverFails];

/** Every invariant, as the impl's session runs them (the observed ones, then the impl's own). */
export const INVARIANTS: readonly Invariant[] = [...OBSERVED, ...IMPL_ONLY];

export type { Invariant, StepFacts, Violation } from './invariant.ts';
