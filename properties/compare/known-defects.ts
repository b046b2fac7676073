// Explained differences: QEMU 7.2 defects (README "Known QEMU 7.2 defects", model/README.md) the impl reproduces
// while the model states the intended behaviour. Each is recognised by typed facts (the crash site, the command,
// what the model allowed and did), never by the order of this list: `classify` returns every defect that matches.
import { blockGraph, namedNodes } from '../../model/index.ts';
import type { ModelState } from '../../model/index.ts';
import { normalizeGraph } from '../../qmp/normalize.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { permSet } from '../../qmp/perm-set.ts';
import { arg, assertion, dies, errorAbort, errorCode, hangs, modelAccepts, modelMayRefuse, modelRefuses, movedAcrossForceShare, siteKind } from './defect-context.ts';
import type { DefectContext } from './defect-context.ts';
import { sameShape } from './graph-delta.ts';
import type { Delta } from './graph-delta.ts';
import { sameOutcome } from './judge.ts';
import { staleMovedEdges } from './stale-edge-perms.ts';
import type { GraphStep } from './stale-edge-perms.ts';
import { checkOf } from '../invariants/for-build.ts';
import { edgePermsMatchDriverRules } from '../invariants/edge-perms-match-driver-rules.ts';

export interface KnownDefect {
  readonly signature: string;
  /** Also met where the step fits what the model allows: 7.2 departs in state no graph shows, and later steps would
   * differ for it. */
  readonly hidden?: true;
  /** The impl fix switch that removes it, if there is one (impl/behaviour.ts). */
  readonly fix?: string;
  matches(c: DefectContext): boolean;
}

/** A node replaced under another parent keeps stale perms: met by the model comparison (the moved edge's conflicts)
 * and by the perm-rule invariant (the moved edge itself, `KNOWN_BREACHES`). */
const STALE_PERMS = 'replaced-child-edge-keeps-stale-perms';

const is = (c: DefectContext, ...commands: readonly string[]): boolean => commands.includes(c.cmd.execute);
const REOPEN = 'blockdev-reopen';
const emptyListIn = (v: JsonValue | undefined): boolean =>
  Array.isArray(v) ? v.length === 0 || v.some(emptyListIn) : typeof v === 'object' && v !== null && Object.values(v).some(emptyListIn);
const listedTwice = (c: DefectContext): boolean => {
  const list = arg(c.cmd, 'options');
  const names = Array.isArray(list) ? list.map((o) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? o['node-name'] : undefined)) : [];
  return names.some((n, i) => typeof n === 'string' && names.indexOf(n) !== i);
};
/** Some allowed branch has the same outcome and a graph of the same shape whose differences `fits` accepts. */
const differsOnly = (c: DefectContext, fits: (d: Delta) => boolean): boolean =>
  c.allowed.some((a) => {
    const d = sameOutcome(a.branch, c.seen.outcome) && c.seen.graph !== null ? sameShape(a.graph, c.seen.graph) : undefined;
    return d !== undefined && fits(d);
  });
const onlyPermsDiffer = (c: DefectContext): boolean => differsOnly(c, (d) => !d.readOnly);
const seenRefuses = (c: DefectContext, ...codes: readonly string[]): boolean => codes.includes(errorCode(c.seen.outcome) ?? '');
/** The model's refusal, with the stream's BlockBackend [R/RWU] left on the device. */
const withLeakedBackend = (s: ModelState, device: string): ModelState => ({
  ...s,
  bbs: [{ id: -1, child: device, perm: permSet('consistent-read'), shared: permSet('consistent-read', 'write', 'write-unchanged') }, ...s.bbs],
});
const COMMIT_PREPARERS = ['block-commit', 'job-finalize', 'block-job-finalize', 'job-resume', 'block-job-resume'];
/** A stream job in `status` before or after the step (the model drops a concluded one's edges at clean). */
const streamIn = (c: DefectContext, status: string): boolean =>
  [c.before, ...c.allowed.map((a) => a.branch.state)].some((s) => s.jobs.some((j) => j.type === 'stream' && j.status === status));
/** The functions whose error_setg a job's filter drop (bdrv_replace_node_common, bdrv_child_refresh_perms under
 * &error_abort) can die in. */
const DROP_REFUSERS = ['bdrv_a_allow_b', 'bdrv_node_refresh_perm', 'raw_check_lock_bytes', 'bdrv_replace_node_noperm'];
export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  { signature: 'empty-reopen-list-aborts', matches: (c) => is(c, REOPEN) && dies(c, assertion('bdrv_reopen_multiple', 'bs_queue != NULL'), 'now') },
  { signature: 'null-co-negative-size-aborts', matches: (c) => is(c, 'blockdev-add') && dies(c, errorAbort('parse_option_size'), 'now') },
  // an image header naming itself, directly or round a loop, is opened again and again: QEMU answers nothing for minutes
  { signature: 'looping-backing-header-hangs', matches: (c) => hangs(c) && modelRefuses(c, 'cycle') },
  // an active commit's mirror_top shares write its parents do not; a writer joining below it makes dropping it
  // conflict under &error_abort (shrunk case 0010); the model refuses the command that would drop it. QEMU dies where
  // the refusal is raised: bdrv_a_allow_b for a conflict (measured), the others where a drop's perm refresh can refuse
  { signature: 'job-filter-drop-conflict-aborts', matches: (c) => DROP_REFUSERS.some((fn) => dies(c, errorAbort(fn))) },
  {
    signature: 'reopen-frees-frozen-filter-aborts',
    fix: 'reopen-keeps-frozen-filter',
    matches: (c) => is(c, REOPEN) && dies(c, assertion('bdrv_replace_child_noperm', '!child->frozen'), 'now') && modelRefuses(c, 'frozen'),
  },
  {
    // its edge on the freed filter is read by the next query (the model's job released its edges at clean)
    signature: 'concluded-stream-keeps-edges-crash',
    fix: 'stream-drops-job-edges',
    matches: (c) => streamIn(c, 'concluded') && (dies(c, siteKind('silent'), 'now') || (c.seen.graph === null && c.allowed.some((a) => sameOutcome(a.branch, c.seen.outcome)))),
  },
  // 7.2 has no loop check: whatever it answers instead (success, or a later check's error) is explained by that
  { signature: 'mirror-replacement-loop-skipped', fix: 'mirror-prevent-loops', matches: (c) => is(c, 'blockdev-mirror') && modelMayRefuse(c, 'cycle') && !modelAccepts(c) && errorCode(c.seen.outcome) !== 'cycle' },
  {
    signature: 'failed-stream-leaks-backend',
    matches: (c) => {
      const device = arg(c.cmd, 'device');
      if (!is(c, 'block-stream') || c.seen.outcome.kind !== 'error' || c.seen.graph === null || typeof device !== 'string') return false;
      if (!c.before.nodes.some((n) => n.name === device) || !c.allowed.some((a) => sameOutcome(a.branch, c.seen.outcome))) return false;
      // with the start's read-only residue, if it made the device writable first (failed-job-start-reopens-read-only)
      const leaked = withLeakedBackend(c.before, device);
      const d = sameShape(normalizeGraph(blockGraph(leaked), namedNodes(leaked)), c.seen.graph);
      return d !== undefined && (c.facts.madeWritable.length > 0 || (!d.readOnly && !d.perms));
    },
  },
  {
    // bdrv_replace_node refreshes only below the new child: a moved edge keeps the perms computed for the old one,
    // against I3. Moved onto a force-share node it shares less than it should (more conflicts, narrower perms: 0008,
    // the lead's 600 s finding); moved off one, more (fewer conflicts: 0009, 0012)
    signature: STALE_PERMS,
    matches: (c) =>
      (movedAcrossForceShare(c, 'to-force-share') && (onlyPermsDiffer(c) || (seenRefuses(c, 'perm-conflict', 'read-only') && modelAccepts(c)))) ||
      (movedAcrossForceShare(c, 'from-force-share') && (onlyPermsDiffer(c) || (c.seen.outcome.kind === 'ok' && (modelRefuses(c, 'perm-conflict') || modelRefuses(c, 'read-only'))))),
  },
  {
    // the same, met when the command then fails for another reason (the rollback removes the stale edge)
    signature: 'moved-force-share-edge-hides-conflict',
    matches: (c) => movedAcrossForceShare(c, 'from-force-share') && modelRefuses(c, 'perm-conflict') && c.seen.outcome.kind === 'error' && !seenRefuses(c, 'perm-conflict'),
  },
  {
    // every reopen restates a force-share node's options (user reopens, and internal ones: stream, commit, snapshot,
    // mirror completion), and 7.2 reads force-share back as a string: 'Cannot change the option'
    signature: 'reopen-restating-force-share-fails',
    matches: (c) => !dies(c, () => true) && c.facts.reopened.some((r) => c.before.nodes.some((n) => n.name === r && n.opts['force-share'] === true)),
  },
  // qdict_flatten keeps an empty list under its own key and no driver consumes it (core-diff-01)
  { signature: 'empty-list-option-unconsumed', matches: (c) => is(c, 'blockdev-add', REOPEN) && c.seen.outcome.kind === 'error' && modelAccepts(c) && emptyListIn(c.cmd.arguments) },
  // a node listed twice joins its options as flattened dicts: a child reference and child options both stay (core-diff-02)
  { signature: 'reopen-listed-twice-joins-flat-options', matches: (c) => is(c, REOPEN) && listedTwice(c) && c.crash === undefined && !c.allowed.some((a) => sameOutcome(a.branch, c.seen.outcome)) },
  // a child queued by a node's first entry and cut off by its second is no longer drained (core-diff-03)
  { signature: 'reopen-queued-child-undrained-aborts', matches: (c) => is(c, REOPEN) && dies(c, assertion('bdrv_reopen_multiple', 'quiesce_counter > 0'), 'now') },
  // ending the drained section of a listed node the reopen freed is a use after free (core-diff-04)
  { signature: 'reopen-frees-listed-node-crash', matches: (c) => is(c, REOPEN) && dies(c, siteKind('silent'), 'now') && modelAccepts(c) },
  // a second completion of a paused mirror with `replaces` sets s->replace_blocker again (core-diff-10)
  { signature: 'mirror-complete-twice-replace-blocker-aborts', matches: (c) => is(c, 'job-complete', 'block-job-complete') && dies(c, assertion('error_setv')) },
  // mirror_dirty_init passes a filter down at the same offset: a child shorter than the filter answers 0 bytes (core-diff-13)
  { signature: 'mirror-scan-short-filter-child-aborts', matches: (c) => dies(c, assertion('mirror_dirty_init')) },
  // a drained edge moved off a node reaching a child by two paths is undrained twice (core-diff-17, -30, -32)
  { signature: 'cut-child-held-twice-drain-aborts', matches: (c) => dies(c, assertion('bdrv_parent_drained_end_single_no_poll', 'parent_quiesce_counter > 0')) },
  // a filter whose refreshed length is not the size asked for (blkverify) ends the truncate at a negative offset (core-diff-14)
  { signature: 'filter-truncate-negative-offset-aborts', matches: (c) => dies(c, errorAbort('bdrv_check_qiov_request')) },
  // blkverify exits on the first byte its children read differently; the model has no image data (core-diff-12)
  { signature: 'blkverify-mismatch-exits', matches: (c) => dies(c, siteKind('blkverify-mismatch')) },
  // blkverify sets supported_zero_flags without bdrv_co_pwrite_zeroes: a mirror's zero write onto it asserts (core-diff-25)
  { signature: 'mirror-zero-write-on-blkverify-aborts', matches: (c) => dies(c, assertion('bdrv_co_do_pwrite_zeroes')) },
  // blkverify writes its raw side too: one shorter than the mirror's copy, without resize, asserts (core-diff-56)
  { signature: 'mirror-write-past-short-blkverify-child-aborts', matches: (c) => dies(c, assertion('bdrv_co_write_req_prepare')) },
  // a pending stream's copy-on-read filter over a device without backing segfaults on a read (core-diff-67)
  { signature: 'pending-stream-filter-read-segfaults', matches: (c) => streamIn(c, 'pending') && !streamIn(c, 'concluded') && dies(c, siteKind('silent')) && modelAccepts(c) },
  {
    // a qcow2 reopen that changed `file` and then failed leaves s->data_file dangling; closing (core-diff-05) or
    // resizing (-62) crashes: the silent death no stream job explains
    signature: 'qcow2-dangling-data-file-crash',
    matches: (c) => !is(c, REOPEN) && dies(c, siteKind('silent'), 'now') && modelAccepts(c) && !streamIn(c, 'concluded') && !streamIn(c, 'pending'),
  },
  // a full mirror reads through a copy-on-read filter over a child whose kept length is stale (core-diff-82, 0039)
  { signature: 'copy-on-read-past-stale-child-aborts', matches: (c) => dies(c, assertion('bdrv_co_do_copy_on_readv')) },
  {
    // commit_active_start and stream_start reopen the base or device read-only anew when they fail after making it
    // writable, instead of undoing: explicit read-only options stay (hidden: they show at a later reopen or stream,
    // job-commit-active-19) and inherited flags change (0030, core-diff-36, -60)
    signature: 'failed-job-start-reopens-read-only',
    hidden: true,
    matches: (c) => is(c, 'block-commit', 'block-stream') && c.seen.outcome.kind === 'error' && c.facts.madeWritable.length > 0 && differsOnly(c, () => true),
  },
  // bdrv_drop_intermediate frees commit_top; a read-only overlay that then fails to reopen read-write gets its error
  // reported and commit_abort uses the freed node (core-diff-42)
  { signature: 'commit-overlay-update-fails-crash', matches: (c) => is(c, ...COMMIT_PREPARERS) && modelAccepts(c) && dies(c, siteKind('reported-then-died')) },
];

/** Every known defect the step matches, by signature (one, for every reproduction in known-defects.test.ts);
 * `agreed`: the step fits what the model allows, so only hidden ones are looked for. */
export function classify(c: DefectContext, agreed = false): KnownDefect[] {
  return KNOWN_DEFECTS.filter((k) => (!agreed || k.hidden === true) && k.matches(c)).sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
}

/** An invariant's breach that is a known 7.2 defect, recognised from the step's graphs alone (so on any target). */
export interface KnownBreach {
  /** The invariant (checkOf: either name of the perm-rule check). */
  readonly invariant: string;
  readonly signature: string;
  matches(step: GraphStep): boolean;
}

export const KNOWN_BREACHES: readonly KnownBreach[] = [
  { invariant: edgePermsMatchDriverRules.name, signature: STALE_PERMS, matches: (s) => staleMovedEdges(s).length > 0 },
];

/** The known defect an invariant's breach at this step is an instance of, if any. */
export function classifyBreach(invariant: string, step: GraphStep): string | undefined {
  const check = checkOf(invariant);
  return KNOWN_BREACHES.find((k) => k.invariant === check && k.matches(step))?.signature;
}
