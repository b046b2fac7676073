// content-preserved — what the operations promise about data (semantics §3.4–3.7, §3.9): a node's checksum equals
// its previous one when every step between made that promise for it:
// - changes nothing anyone serves: observations, queries, NBD server and exports (read-only), objects, blockdev-add of
//   another node, job verbs other than completing a job whose start is judged below;
// - block-stream: every node serves what it served (the device copies up what it read through its backing);
// - block-commit: the top and every node reading through it serve what they served (the base and the nodes between
//   it and the top do not: they read the copied data);
// - blockdev-mirror / drive-mirror with sync=full: the source and every node reading through it, if it does not read
//   the target too, serve what they served, completion (replaces, a quorum child among them) included;
// - blockdev-snapshot: the snapshotted node itself (its parents now read the overlay's data first).
// Anything else between (resize, reopen, deletion, x-blockdev-change, a sync=top/none mirror) makes no promise.
// Nothing is judged where the node reads through a null-co without read-zeroes (served-steps.ts observed: QEMU serves
// whatever the buffer held).
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { lastObservation, nodeNamed, observed, reachable } from './served-steps.ts';
import type { Invariant, StepFacts, Violation } from './invariant.ts';

const INERT = new Set([
  'observe-block-status', 'observe-checksum', 'query-named-block-nodes', 'x-debug-query-block-graph', 'query-jobs', 'query-block-jobs',
  'nbd-server-start', 'nbd-server-stop', 'block-export-add', 'block-export-del', 'object-add', 'object-del', 'blockdev-add',
  'job-complete', 'job-finalize', 'job-dismiss', 'job-pause', 'job-resume', 'block-job-complete', 'block-job-finalize',
  'block-job-dismiss', 'block-job-pause', 'block-job-resume', 'block-job-set-speed',
]);

const argsOf = (s: StepFacts): JsonObject => (typeof s.command.arguments === 'object' && s.command.arguments !== null && !Array.isArray(s.command.arguments) ? (s.command.arguments as JsonObject) : {});
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Does this step promise that `node` keeps serving what it served? */
function promises(s: StepFacts, node: string): boolean {
  const a = argsOf(s);
  if (s.command.execute === 'blockdev-add') return str(a['node-name']) !== node;
  if (INERT.has(s.command.execute)) return true;
  // a refused command leaves everything as it was (semantics §5.1 I9)
  if (s.outcome.kind !== 'ok') return s.outcome.kind === 'error';
  switch (s.command.execute) {
    case 'block-stream':
      return true;
    case 'block-commit': {
      const top = str(a['top-node']) ?? str(a['device']);
      return top !== undefined && reachable(s.before, node).has(top);
    }
    case 'blockdev-mirror':
    case 'drive-mirror': {
      const src = str(a['device']);
      const target = str(a['target']);
      const reads = reachable(s.before, node);
      return a['sync'] === 'full' && src !== undefined && reads.has(src) && (target === undefined || !reads.has(target));
    }
    case 'blockdev-snapshot':
      return str(a['node']) === node;
    default:
      return false;
  }
}

export const contentPreserved: Invariant = {
  kind: 'history',
  name: 'content-preserved',
  source: 'semantics §3.4 block-commit, §3.5 block-stream, §3.6 mirror completion, §3.7 replaces, §3.9 blockdev-snapshot',
  check(steps): Violation[] {
    const last = lastObservation(steps, 'observe-checksum');
    if (!last) return [];
    const { step: cur, seen: now } = last;
    for (let i = steps.length - 2; i >= 0; i--) {
      const s = steps[i]!;
      const then = observed(s);
      if (then && then.kind === 'observe-checksum' && then.node === now.node) {
        const a = JSON.stringify(then.value);
        const b = JSON.stringify(now.value);
        if (a === b) return [];
        const between = steps.slice(i + 1, -1).map((x) => x.command.execute).filter((x) => !x.startsWith('observe-'));
        // `qcow2:after-block-commit+job-complete`: the node's driver and the kinds of step that broke the promise
        const kinds = [...new Set(between)].sort().join('+') || 'nothing';
        const key = `${nodeNamed(cur.after, now.node)?.driver ?? '?'}:after-${kinds}`;
        return [{ message: `node '${now.node}' served ${b} after ${between.join(', ') || 'nothing'}, which promise it keeps serving ${a}`, key }];
      }
      if (!promises(s, now.node)) return [];
    }
    return [];
  },
};
