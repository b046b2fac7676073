// The invariants the checker runs after every step, in the order they are tried: structure first, so later
// checks can rely on it, then the failed-command rule, whose breach is the root cause of anything after it.
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

export const INVARIANTS: readonly Invariant[] = [
  noDanglingEdges,
  graphIsAcyclic,
  failedCommandLeavesGraphUnchanged,
  filterHasOneFilteredChild,
  sharedPermsCompatible,
  edgePermsMatchDriverRules,
  readOnlyNodesHaveNoWriters,
  optionsMatchGraph,
  mirrorTopDropNeverFails,
  // what the graph serves (observation steps)
  statusExtentsAligned,
  filterServesItsChild,
  contentPreserved,
];

export type { Invariant, StepFacts, Violation } from './invariant.ts';
