// Where QEMU 7.2 dies on the way through the block layer, as data: each site with the words it prints last and the
// signal. The impl decides a death at the site and hands one of these on; qmp/crash.ts reads the same words back.
import type { CrashSite } from '../../qmp/crash.ts';
import { invariant } from './result.ts';
import type { BlockError } from './result.ts';

export interface Death {
  readonly site: CrashSite;
  /** What QEMU prints as it dies (after whatever it logged before, BlockEnv.stderrLog). */
  readonly text: string;
  readonly signal: string | null;
}

/** assert(expr) in fn, at file:line of the Debian 7.2 build. */
function assertion(file: string, line: number, fn: string, expr: string): Death {
  return { site: { kind: 'assertion', fn, expr }, text: `qemu-storage-daemon: ../../${file}:${line}: ${fn}: Assertion \`${expr}' failed.\n`, signal: 'SIGABRT' };
}

/** &error_abort in fn: error_handle prints where, then the error (named by program only when reported from outside
 * the monitor's command). */
function errorAbort(fn: string, at: string, message: string): Death {
  return { site: { kind: 'error-abort', fn }, text: `Unexpected error in ${fn}() at ../../${at}:\n${message}\n`, signal: 'SIGABRT' };
}

export const DEATHS = {
  reopenEmptyQueue: assertion('block.c', 4390, 'bdrv_reopen_multiple', 'bs_queue != NULL'),
  reopenNotQuiesced: assertion('block.c', 4405, 'bdrv_reopen_multiple', 'bs_entry->state.bs->quiesce_counter > 0'),
  reopenWithoutDriver: assertion('block.c', 4656, 'bdrv_reopen_prepare', 'reopen_state->bs->drv != NULL'),
  frozenChildReplaced: assertion('block.c', 2838, 'bdrv_replace_child_noperm', '!child->frozen'),
  newChildOverQuiesced: assertion('block.c', 2881, 'bdrv_replace_child_noperm', 'new_bs->quiesce_counter <= new_bs_quiesce_counter'),
  parentQuiesceUnderflow: assertion('block/io.c', 64, 'bdrv_parent_drained_end_single_no_poll', 'c->parent_quiesce_counter > 0'),
  quiesceUnderflow: assertion('block/io.c', 525, 'bdrv_do_drained_end', 'bs->quiesce_counter > 0'),
  copyOnReadShort: assertion('block/io.c', 1384, 'bdrv_co_do_copy_on_readv', 'progress >= bytes'),
  zeroWriteWithFlags: assertion('block/io.c', 1908, 'bdrv_co_do_pwrite_zeroes', '!bs->supported_zero_flags'),
  writePastShortChild: assertion(
    'block/io.c',
    1988,
    'bdrv_co_write_req_prepare',
    'offset + bytes <= bs->total_sectors * BDRV_SECTOR_SIZE || child->perm & BLK_PERM_RESIZE',
  ),
  mirrorScanEmpty: assertion('block/mirror.c', 871, 'mirror_dirty_init', 'count'),
  errorSetTwice: assertion('util/error.c', 59, 'error_setv', '*errp == NULL'),
  negativeNullCoSize: errorAbort('parse_option_size', 'util/qemu-option.c:145', "Parameter 'size' expects a non-negative number below 2^64"),
  /** A use after free, a NULL driver or a runaway recursion: no last words. */
  segfault: { site: { kind: 'silent' }, text: '', signal: 'SIGSEGV' },
} as const satisfies Readonly<Record<string, Death>>;

/**
 * An &error_abort handed down to where the error is raised (a job's filter drop, bdrv_child_refresh_perms): QEMU dies
 * in the function whose error_setg made it (bdrv_a_allow_b for a perm conflict), before any hint is appended.
 * `fromMainLoop`: a job's exit, whose error_report names the program; inside a monitor command it does not.
 */
export function errorAbortOn(e: BlockError, fromMainLoop: boolean): Death {
  invariant(e.raisedAt !== undefined, `an &error_abort on an error with no error_setg site: ${e.message}`);
  return errorAbort(e.raisedAt.fn, e.raisedAt.at, `${fromMainLoop ? 'qemu-storage-daemon: ' : ''}${e.message}`);
}

/** bdrv_check_qiov_request under &error_abort; a job's coroutine reports it outside the command, naming the program. */
export function negativeOffset(start: number, inJob: boolean): Death {
  return errorAbort('bdrv_check_qiov_request', 'block/io.c:971', `${inJob ? 'qemu-storage-daemon: ' : ''}offset is negative: ${start}`);
}

/** blkverify_co_preadv's exit(1) at the first byte its children read differently. */
export function blkverifyMismatch(offset: number, bytes: number, at: number): Death {
  return { site: { kind: 'blkverify-mismatch' }, text: `blkverify: read offset=${offset} bytes=${bytes} contents mismatch at offset ${at}\n`, signal: null };
}

/** An error reported (error_report_err), then a use after free on the way out of the failed operation. */
export function reportedThenDied(report: string): Death {
  return { site: { kind: 'reported-then-died' }, text: report, signal: 'SIGSEGV' };
}
