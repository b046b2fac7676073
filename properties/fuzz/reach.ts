// Situations a run reaches: a run is only as good as the states it gets into, and the rare ones hide quirks
// (commit-keeps-base-rw needs an intermediate commit onto a read-only base). Counted per step, reported per run.
import type { QmpCommand } from '../../qmp/types.ts';
import { nodesById } from '../invariants/graph-views.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { GraphSnapshot, SnapNode } from '../snapshot.ts';
import { isRecord } from '../../qmp/json-value.ts';

export const SITUATIONS = [
  'read-only-backing',
  'filter-above-job-node',
  'shared-child',
  'export-on-job-node',
  'export-on-filter',
  'job-running',
  'intermediate-commit',
  'commit-onto-read-only-base',
  'auto-named-in-command',
] as const;
export type Situation = (typeof SITUATIONS)[number];

/** Nodes a block job holds an edge to (its source, target, intermediates). */
function jobNodes(g: GraphSnapshot): Set<number> {
  return new Set(g.edges.filter((e) => e.parent.kind === 'job').map((e) => e.childId));
}

/** Without a base-node a commit's base is the bottom of the top's backing chain (bdrv_find_base). */
function bottomOf(g: GraphSnapshot, top: SnapNode): SnapNode | undefined {
  let cur: SnapNode | undefined;
  for (let id = top.id, depth = 0; depth < 32; depth++) {
    const e = g.edges.find((x) => x.parent.kind === 'node' && x.parent.id === id && x.role.kind === 'cow');
    if (!e) break;
    cur = g.nodes.find((n) => n.id === e.childId);
    id = e.childId;
  }
  return cur;
}

/** What the graph after a step shows, and what the step itself did, in the vocabulary of SITUATIONS. */
export function situationsOf(before: GraphSnapshot, after: GraphSnapshot, cmd: QmpCommand, outcome: StepOutcome): Situation[] {
  const out: Situation[] = [];
  const held = jobNodes(after);
  const byName = new Map<string, SnapNode>(after.nodes.map((n) => [n.name, n]));
  const byId = nodesById(after);
  const nodeParents = new Map<number, number>();
  for (const e of after.edges) if (e.parent.kind === 'node') nodeParents.set(e.childId, (nodeParents.get(e.childId) ?? 0) + 1);
  if (after.edges.some((e) => e.role.kind === 'cow' && byId.get(e.childId)?.readOnly === true)) out.push('read-only-backing');
  if (after.edges.some((e) => e.parent.kind === 'node' && e.role.kind === 'filtered' && held.has(e.childId) && byId.get(e.parent.id)?.isFilter === true)) {
    out.push('filter-above-job-node');
  }
  if ([...nodeParents.values()].some((c) => c > 1)) out.push('shared-child');
  if (after.exports.some((x) => { const n = byName.get(x.node); return n !== undefined && held.has(n.id); })) out.push('export-on-job-node');
  if (after.exports.some((x) => byName.get(x.node)?.isFilter === true)) out.push('export-on-filter');
  if (after.jobs.length > 0) out.push('job-running');
  const args = isRecord(cmd.arguments) ? cmd.arguments : {};
  const top = typeof args['top-node'] === 'string' ? before.nodes.find((n) => n.name === args['top-node']) : undefined;
  // intermediate: the top has a node above it (an active commit's top is the overlay itself)
  if (cmd.execute === 'block-commit' && outcome.kind === 'ok' && top !== undefined && before.edges.some((e) => e.childId === top.id && e.parent.kind === 'node')) {
    out.push('intermediate-commit');
    const base = typeof args['base-node'] === 'string' ? before.nodes.find((n) => n.name === args['base-node']) : bottomOf(before, top);
    if (base?.readOnly === true) out.push('commit-onto-read-only-base');
  }
  if (Object.values(args).some((v) => typeof v === 'string' && v.startsWith('#block'))) out.push('auto-named-in-command');
  return out;
}
