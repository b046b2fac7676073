// The normalized graph the impl's two graph queries show (x-debug-query-block-graph and query-named-block-nodes
// {flat}), read from its own structures: what a checker compares after every step, without building either reply.
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { namedNodeInfo, rawBlockGraph, walkNodes } from './queries.ts';

/** Undefined where query-named-block-nodes is refused (a cleared driver); throws QemuDies where the queries die. */
export function normalizedGraphOf(env: BlockEnv): NormalizedGraph | undefined {
  walkNodes(env);
  const named = namedNodeInfo(env);
  return named === undefined ? undefined : normalizeGraph(rawBlockGraph(env), named);
}
