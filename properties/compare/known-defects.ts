// Explained differences: QEMU 7.2 defects (README "Known QEMU 7.2 defects", model/README.md) that the impl reproduces
// while the model states the intended behaviour, and impl deviations from 7.2 reported to the lead. A step that
// differs this way is classified by its signature, not reported as unexplained.
import type { Crash, CrashSite } from '../../qmp/crash.ts';
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
  /** What a job started by this step killed the impl with after the reply (its next command finds it dead). */
  readonly implDeferredCrash: Crash | undefined;
  /** A node whose driver a fatal qcow2 corruption cleared (QEMU's bs->drv = NULL), or an image header the impl and
   * the model hold differently (a truncate cut it): image data the model does not follow. */
  readonly implImageDataApart: () => boolean;
  /** The model's node edge `parent.name` before the step pointed at a force-share node (whose moved edge 7.2 leaves
   * sharing everything). */
  readonly modelEdgeWasToForceShare: (parent: string, name: string) => boolean;
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
  /** A QEMU 7.2 defect, an impl deviation awaiting a fix, or image data the model leaves out (model/README.md). */
  readonly source: 'qemu-7.2' | 'impl-suspect' | 'model-gap';
  /** The impl fix switch that removes it, if there is one (impl/behaviour.ts). */
  readonly fix?: string;
  matches(c: StepContext): boolean;
}

const arg = (c: QmpCommand, k: string): JsonValue | undefined =>
  typeof c.arguments === 'object' && c.arguments !== null && !Array.isArray(c.arguments) ? (c.arguments as { readonly [k: string]: JsonValue })[k] : undefined;
const emptyListIn = (v: JsonValue | undefined): boolean =>
  Array.isArray(v) ? v.length === 0 || v.some(emptyListIn) : typeof v === 'object' && v !== null && Object.values(v).some(emptyListIn);
const listedTwice = (c: QmpCommand): boolean => {
  const list = arg(c, 'options');
  const names = Array.isArray(list) ? list.map((o) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? o['node-name'] : undefined)) : [];
  return names.some((n, i) => typeof n === 'string' && names.indexOf(n) !== i);
};
/** Where a crash happened, by its typed site (qmp/crash.ts): the function, and the assertion's expression if given. */
const at = (x: Crash | undefined, fn: string, expr?: string): boolean =>
  x !== undefined && (x.site.kind === 'assertion' || x.site.kind === 'error-abort') && x.site.fn === fn && (expr === undefined || (x.site.kind === 'assertion' && x.site.expr === expr));
const siteIs = (x: Crash | undefined, kind: CrashSite['kind']): boolean => x?.site.kind === kind;
const crashNow = (c: StepContext): Crash | undefined => (c.impl.outcome.kind === 'crash' ? c.impl.outcome.crash : undefined);
const aborts = (c: StepContext, fn: string, expr?: string): boolean => at(crashNow(c), fn, expr);
/** Aborts now, or replied and then died in a job's background work. */
const dies = (c: StepContext, fn: string, expr?: string): boolean => aborts(c, fn, expr) || at(c.implDeferredCrash, fn, expr);
const diesSilently = (c: StepContext): boolean => siteIs(crashNow(c), 'silent');
const errorCode = (o: StepOutcome): string | null | undefined => (o.kind === 'error' ? o.code : undefined);

/** Commands after which a commit job may have run commit_prepare. */
const COMMIT_PREPARERS = ['block-commit', 'job-finalize', 'block-job-finalize', 'job-resume', 'block-job-resume'];

export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    source: 'qemu-7.2',
    signature: 'empty-reopen-list-aborts',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && Array.isArray(arg(c.cmd, 'options')) && (arg(c.cmd, 'options') as readonly JsonValue[]).length === 0 && aborts(c, 'bdrv_reopen_multiple', 'bs_queue != NULL'),
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
    matches: (c) => diesSilently(c) && errorCode(c.model.outcome) === 'cycle',
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
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && aborts(c, 'bdrv_replace_child_noperm', '!child->frozen') && errorCode(c.model.outcome) === 'frozen',
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
    // the same defect where the impl goes on to fail later (the rollback then removes the stale edge): the model's
    // conflict is unshared by an edge that pointed at a force-share node before the step moved it (0032's shape)
    signature: 'moved-force-share-edge-hides-conflict',
    matches: (c) => {
      if (c.impl.outcome.kind !== 'error' || errorCode(c.model.outcome) !== 'perm-conflict' || errorCode(c.impl.outcome) === 'perm-conflict') return false;
      const by = c.model.outcome.kind === 'error' ? /unshared by node '([^']+)' \(as '([^']+)'\)/.exec(c.model.outcome.desc) : null;
      return by?.[1] !== undefined && by[2] !== undefined && c.modelEdgeWasToForceShare(by[1], by[2]);
    },
  },
  {
    source: 'qemu-7.2',
    // user reopens and the internal ones (stream, commit, snapshot, mirror completion) alike: the model with the
    // defect reproduced gives what the impl gave
    signature: 'reopen-restating-force-share-fails',
    matches: (c) => sameSide(c.modelAs72(), c.impl),
  },
  {
    source: 'qemu-7.2',
    // qdict_flatten keeps an empty list under its own key and no driver consumes it (core-diff-01)
    signature: 'empty-list-option-unconsumed',
    matches: (c) => ['blockdev-add', 'blockdev-reopen'].includes(c.cmd.execute) && c.impl.outcome.kind === 'error' && c.model.outcome.kind !== 'error' && emptyListIn(c.cmd.arguments),
  },
  {
    source: 'qemu-7.2',
    // a node listed twice joins its options as flattened dicts: a child reference and child options both stay (core-diff-02)
    signature: 'reopen-listed-twice-joins-flat-options',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && listedTwice(c.cmd) && c.impl.outcome.kind !== 'crash' && !sameOutcome(c),
  },
  {
    source: 'qemu-7.2',
    // a child queued by a node's first entry and cut off by its second is no longer drained (core-diff-03)
    signature: 'reopen-queued-child-undrained-aborts',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && aborts(c, 'bdrv_reopen_multiple', 'bs_entry->state.bs->quiesce_counter > 0'),
  },
  {
    source: 'qemu-7.2',
    // ending the drained section of a listed node the reopen freed is a use after free (core-diff-04)
    signature: 'reopen-frees-listed-node-crash',
    matches: (c) => c.cmd.execute === 'blockdev-reopen' && diesSilently(c) && c.model.outcome.kind === 'ok',
  },
  {
    source: 'qemu-7.2',
    // a second completion of a paused mirror with `replaces` sets s->replace_blocker again (core-diff-10)
    signature: 'mirror-complete-twice-replace-blocker-aborts',
    matches: (c) => ['job-complete', 'block-job-complete'].includes(c.cmd.execute) && aborts(c, 'error_setv'),
  },
  {
    source: 'qemu-7.2',
    // mirror_dirty_init passes a filter down at the same offset: a child shorter than the filter answers 0 bytes (core-diff-13)
    signature: 'mirror-scan-short-filter-child-aborts',
    matches: (c) => dies(c, 'mirror_dirty_init'),
  },
  {
    source: 'qemu-7.2',
    // moving or dropping an edge in a drained section off a node that reaches some node by two paths (a quorum
    // listing a child twice, a backing and file meeting below) ends the edge's quiesce once through the subtree's
    // drained_end coming back up and once more by bdrv_replace_child_noperm's saldo (core-diff-17, -30, -32;
    // simulated in impl/core/drain-counters.ts)
    signature: 'cut-child-held-twice-drain-aborts',
    matches: (c) => aborts(c, 'bdrv_parent_drained_end_single_no_poll'),
  },
  {
    source: 'qemu-7.2',
    // a filter whose refreshed length is not the size asked for (blkverify) finishes the truncate at a negative offset (core-diff-14)
    signature: 'filter-truncate-negative-offset-aborts',
    matches: (c) => dies(c, 'bdrv_check_qiov_request'),
  },
  {
    source: 'qemu-7.2',
    // blkverify exits on the first byte its children read differently; the model has no image data (core-diff-12)
    signature: 'blkverify-mismatch-exits',
    matches: (c) => siteIs(crashNow(c), 'blkverify-mismatch') || siteIs(c.implDeferredCrash, 'blkverify-mismatch'),
  },
  {
    source: 'qemu-7.2',
    // blkverify sets supported_zero_flags without bdrv_co_pwrite_zeroes: a mirror's zero write onto it asserts (core-diff-25)
    signature: 'mirror-zero-write-on-blkverify-aborts',
    matches: (c) => dies(c, 'bdrv_co_do_pwrite_zeroes'),
  },
  {
    source: 'qemu-7.2',
    // blkverify writes its raw side too: one shorter than the mirror's copy, without resize, asserts (core-diff-56)
    signature: 'mirror-write-past-short-blkverify-child-aborts',
    matches: (c) => dies(c, 'bdrv_co_write_req_prepare'),
  },
  {
    source: 'qemu-7.2',
    // a pending stream's copy-on-read filter over a device without backing segfaults on a read it does not allocate (core-diff-67)
    signature: 'pending-stream-filter-read-segfaults',
    matches: (c) => siteIs(c.implDeferredCrash, 'silent') && c.model.outcome.kind === 'ok',
  },
  {
    source: 'qemu-7.2',
    // a qcow2 reopen that changed `file` and then failed leaves s->data_file dangling; closing (core-diff-05) or resizing (-62) the node crashes
    signature: 'qcow2-dangling-data-file-crash',
    matches: (c) => c.cmd.execute !== 'blockdev-reopen' && diesSilently(c) && c.model.outcome.kind === 'ok',
  },
  {
    source: 'qemu-7.2',
    // bdrv_drop_intermediate's unref frees commit_top once its parents moved; a read-only overlay that then fails to
    // reopen read-write gets its error reported and commit_abort uses the freed node (core-diff-42)
    signature: 'commit-overlay-update-fails-crash',
    matches: (c) => COMMIT_PREPARERS.includes(c.cmd.execute) && c.model.outcome.kind === 'ok' && siteIs(c.implDeferredCrash, 'reported-then-died'),
  },
  {
    source: 'model-gap',
    // core-diff-07, -20, -21, -33, -40: a truncate cuts a qcow2 header, or a mirror's first write or a
    // block_resize corrupts a qcow2 cut below its refcounts; core-diff-34: qcow2 zero writes allocate clusters and
    // grow the image file; the model keeps no image data past the header it reads at open
    signature: 'image-data-not-modelled',
    matches: (c) => c.implImageDataApart(),
  },
];
