// Explained differences: QEMU 7.2 defects (README "Known QEMU 7.2 defects", model/README.md) that the impl reproduces
// while the model states the intended behaviour, and impl deviations from 7.2 reported to the lead. A step that
// differs this way is classified by its signature, not reported as unexplained.
import { diffGraphs } from '../../qmp/diff-graphs.ts';
import type { NormalizedGraph } from '../../qmp/normalized-graph.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';

export interface SideResult {
  readonly outcome: StepOutcome;
  readonly graph: NormalizedGraph | null;
}

export interface StepContext {
  readonly cmd: QmpCommand;
  readonly impl: SideResult;
  readonly model: SideResult;
  /** The impl holds a concluded stream job that still has edges (its filter already freed in 7.2). */
  readonly implStreamHoldsEdges: boolean;
  /** For a failed block-stream: the model's graph had the stream's BlockBackend [R/RWU] stayed on the device. */
  readonly modelIfStreamLeaked: NormalizedGraph | null;
  /** Node edges of the impl whose perms contradict the perm rules (the checker's edge-perms-match-driver-rules). */
  readonly implStaleEdges: () => readonly string[];
  /** The step on the model with 7.2's force-share defect reproduced. */
  readonly modelAs72: () => SideResult;
  /** Impl nodes nobody holds: no parents and not monitor-owned (QEMU would have freed them). */
  readonly implOrphans: () => readonly string[];
  /** Quorum or blkdebug nodes whose stored length the impl and the model see differently. */
  readonly storedLengthsDiffer: () => boolean;
}

/** Only perms differ: every graph difference is a perm or shared-perm change. */
const onlyPermsDiffer = (c: StepContext): boolean =>
  c.impl.graph !== null && c.model.graph !== null && diffGraphs(c.model.graph, c.impl.graph).every((l) => /^(perm|shared-perm) changed: /.test(l));
const sameSide = (a: SideResult, b: SideResult): boolean =>
  a.outcome.kind === b.outcome.kind && errorCode(a.outcome) === errorCode(b.outcome) && a.graph !== null && b.graph !== null && diffGraphs(a.graph, b.graph).length === 0;
const sameOutcome = (c: StepContext): boolean => c.impl.outcome.kind === c.model.outcome.kind && errorCode(c.impl.outcome) === errorCode(c.model.outcome);

export interface KnownDefect {
  readonly signature: string;
  /** A QEMU 7.2 defect the impl copies on purpose, or an impl deviation from 7.2 awaiting a fix. */
  readonly source: 'qemu-7.2' | 'impl-suspect';
  /** The impl fix switch that removes it, if there is one (impl/behaviour.ts). */
  readonly fix?: string;
  matches(c: StepContext): boolean;
}

const arg = (c: QmpCommand, k: string): JsonValue | undefined =>
  typeof c.arguments === 'object' && c.arguments !== null && !Array.isArray(c.arguments) ? (c.arguments as { readonly [k: string]: JsonValue })[k] : undefined;
const aborts = (c: StepContext, text = ''): boolean => c.impl.outcome.kind === 'abort' && c.impl.outcome.stderr.includes(text);
const errorCode = (o: StepOutcome): string | null | undefined => (o.kind === 'error' ? o.code : undefined);

export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    source: 'qemu-7.2',
    signature: 'empty-reopen-list-aborts',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && Array.isArray(arg(c.cmd, 'options')) && (arg(c.cmd, 'options') as readonly JsonValue[]).length === 0 && aborts(c, 'bs_queue != NULL'),
  },
  {
    source: 'qemu-7.2',
    signature: 'null-co-negative-size-aborts',
    // the model refuses the size, or whatever fails first (7.2 aborts before even checking the node name)
    matches: (c) => c.cmd.execute === 'blockdev-add' && arg(c.cmd, 'driver') === 'null-co' && aborts(c, 'parse_option_size') && c.model.outcome.kind === 'error',
  },
  {
    source: 'qemu-7.2',
    // an image header naming itself, directly or round a loop, is opened again and again until QEMU dies
    signature: 'looping-backing-header-aborts',
    matches: (c) => c.impl.outcome.kind === 'abort' && c.impl.outcome.stderr === '' && errorCode(c.model.outcome) === 'cycle',
  },
  {
    source: 'qemu-7.2',
    // an active commit's mirror_top shares write its parents do not; a writer added below it meanwhile makes
    // dropping it conflict, which 7.2 does with &error_abort (the checker's shrunk case 0010); the model refuses
    signature: 'job-filter-drop-conflict-aborts',
    matches: (c) => aborts(c, 'bdrv_replace_node_common') && c.model.outcome.kind === 'error' && c.model.outcome.desc.startsWith('Cannot drop '),
  },
  {
    source: 'qemu-7.2',
    signature: 'reopen-frees-frozen-filter-aborts',
    fix: 'reopen-keeps-frozen-filter',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && aborts(c, '!child->frozen') && errorCode(c.model.outcome) === 'frozen',
  },
  {
    source: 'qemu-7.2',
    signature: 'concluded-stream-keeps-edges-crash',
    fix: 'stream-drops-job-edges',
    matches: (c) => c.implStreamHoldsEdges && c.impl.graph === null && c.impl.outcome.kind === c.model.outcome.kind,
  },
  {
    source: 'qemu-7.2',
    signature: 'mirror-replacement-loop-skipped',
    fix: 'mirror-prevent-loops',
    // 7.2 has no loop check: whatever it answers instead (success, or a later check's error) is explained by that
    matches: (c) => c.cmd.execute === 'blockdev-mirror' && errorCode(c.model.outcome) === 'cycle' && errorCode(c.impl.outcome) !== 'cycle',
  },
  {
    source: 'qemu-7.2',
    signature: 'failed-stream-leaks-backend',
    matches: (c) =>
      c.cmd.execute === 'block-stream' && c.impl.outcome.kind === 'error' && errorCode(c.impl.outcome) === errorCode(c.model.outcome) &&
      c.impl.graph !== null && c.modelIfStreamLeaked !== null && diffGraphs(c.modelIfStreamLeaked, c.impl.graph).length === 0,
  },
  {
    source: 'qemu-7.2',
    // bdrv_replace_node refreshes only below the new child: a moved edge keeps perms computed for the old one
    // (force-share of the old or new child), contradicting I3; the checker's shrunk cases 0008, 0009, 0012
    signature: 'replaced-child-edge-keeps-stale-perms',
    matches: (c) =>
      ((sameOutcome(c) && onlyPermsDiffer(c)) || (c.impl.outcome.kind === 'ok' && ['perm-conflict', 'read-only'].includes(errorCode(c.model.outcome) ?? ''))) &&
      c.implStaleEdges().length > 0,
  },
  {
    source: 'qemu-7.2',
    // user reopens and the internal ones (stream, commit, snapshot, mirror completion) alike: the model with the
    // defect reproduced gives what the impl gave
    signature: 'reopen-restating-force-share-fails',
    matches: (c) => sameSide(c.modelAs72(), c.impl),
  },
  {
    source: 'impl-suspect',
    // impl/drivers/quorum.ts and blkdebug.ts copy the child's stored `size` at open, which raw and filter nodes
    // never keep current: a quorum over raw is 0 bytes long, blkdebug's alignment check sees a stale size
    signature: 'impl-length-from-stored-child-size',
    matches: (c) => c.storedLengthsDiffer(),
  },
  {
    source: 'impl-suspect',
    // impl/core/replace-node.ts never releases the replaced node; QEMU's bdrv_replace_child_commit unrefs it, so a
    // mirror `replaces` of a node nobody else holds (an inline child) frees it
    signature: 'impl-replaced-node-not-released',
    matches: (c) =>
      sameOutcome(c) && c.implOrphans().length > 0 && c.impl.graph !== null && c.model.graph !== null &&
      diffGraphs(c.model.graph, c.impl.graph).every((l) => /^(node|edge) added: /.test(l)),
  },
];
