// A QEMU crash as a typed value: where it died (its site), what it printed, how the process ended. One parser for
// every target: the impl says what 7.2 would print, a real daemon prints it, and both are read here, nowhere else.

/** Why the impl's 7.2 segfaults, by QEMU's mechanism: a build prints nothing, but the impl decides the death where it
 * knows why, so one defect met at many commands signs once (a build's segfault keeps its command). */
export type SegfaultCause =
  /** qcow2_reopen_abort left s->data_file on the `file` child the failed reopen freed: closing or resizing uses it */
  | 'qcow2-dangling-data-file'
  /** a fatal qcow2 corruption cleared bs->drv, which a reopen's recursion or blockdev-snapshot dereferences */
  | 'driver-gone'
  /** qmp_blockdev_reopen ends the drained section of a listed node the reopen freed */
  | 'freed-listed-node'
  /** a concluded stream job keeps its edge to the copy-on-read filter it freed; walking the nodes reads it */
  | 'concluded-stream-edge'
  /** cor_co_preadv_part asks bdrv_is_allocated_above from a NULL chain below a bare file (a pending stream's filter) */
  | 'copy-on-read-null-chain';

/** Where QEMU died. File paths and line numbers change between builds (`../../block.c:4390` on 7.2,
 * `block.c:4586` on 10.0.2), so a site is named by its function, never by its line. */
export type CrashSite =
  /** `file:line: fn: Assertion `expr' failed.` */
  | { readonly kind: 'assertion'; readonly fn: string; readonly expr: string }
  /** `Unexpected error in fn() at file:line:` (an `&error_abort`) */
  | { readonly kind: 'error-abort'; readonly fn: string }
  /** blkverify's `contents mismatch` exit */
  | { readonly kind: 'blkverify-mismatch' }
  /** an error_report and then a silent death (a use after free on the way out of the failed command) */
  | { readonly kind: 'reported-then-died' }
  /** died without a word: a segmentation fault (or any other fatal signal); `cause` only where the impl decided it */
  | { readonly kind: 'silent'; readonly cause?: SegfaultCause }
  /** anything else QEMU printed last */
  | { readonly kind: 'other'; readonly text: string };

export interface Crash {
  readonly site: CrashSite;
  /** Everything the daemon printed on stderr, `\r\n` read as `\n`. */
  readonly stderr: string;
  /** The fatal signal where known (a real daemon's exit), else what the site implies (SIGABRT for an assertion). */
  readonly signal: string | null;
}

/**
 * The site as one short word, the form signatures and tables use: the function of a failed assertion or an
 * `&error_abort` (`bdrv_reopen_multiple`), `blkverify-mismatch`, `reported-then-died`, `segfault` for a silent death.
 */
export function siteKey(site: CrashSite): string {
  switch (site.kind) {
    case 'assertion':
    case 'error-abort':
      return site.fn;
    case 'blkverify-mismatch':
      return 'blkverify-mismatch';
    case 'reported-then-died':
      return 'reported-then-died';
    case 'silent':
      return 'segfault';
    case 'other':
      return site.text.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'abort';
  }
}

/** What is wrong, for a signature: the site, or a segfault's cause where the impl knows it (`segfault(driver-gone)`). */
export function siteWhat(site: CrashSite): string {
  return site.kind === 'silent' && site.cause !== undefined ? `segfault(${site.cause})` : siteKey(site);
}

/**
 * Reads the site from QEMU's last words; qcow2's corruption notices logged on the way are not what killed it. With the
 * signal known, a segfault's unprefixed lines are not its words either: they are an error a monitor command reported
 * (QEMU prints those without its name), and the death came later, silent.
 */
export function crashSite(stderr: string, signal?: string | null): CrashSite {
  const text = stderr.replace(/^qcow2: Marking image as corrupt: .*$\n?/gm, '').trim();
  if (text === '') return { kind: 'silent' };
  const assertion = /: ([A-Za-z_][A-Za-z0-9_]*): Assertion [`'](.*)' failed/.exec(text);
  if (assertion?.[1] !== undefined) return { kind: 'assertion', fn: assertion[1], expr: assertion[2] ?? '' };
  const abort = /Unexpected error in ([A-Za-z_][A-Za-z0-9_]*)\(\)/.exec(text);
  if (abort?.[1] !== undefined) return { kind: 'error-abort', fn: abort[1] };
  if (/^blkverify: .* contents mismatch/m.test(text)) return { kind: 'blkverify-mismatch' };
  if (/^qemu-storage-daemon: /.test(text)) return { kind: 'reported-then-died' };
  if (signal === 'SIGSEGV') return { kind: 'silent' };
  return { kind: 'other', text: text.split('\n')[0] ?? '' };
}

const SIGNAL_OF: Readonly<Record<CrashSite['kind'], string | null>> = {
  assertion: 'SIGABRT',
  'error-abort': 'SIGABRT',
  'blkverify-mismatch': null,
  'reported-then-died': 'SIGSEGV',
  silent: 'SIGSEGV',
  other: null,
};

/** A crash from stderr, with the real signal when the process's exit is known. */
export function parseCrash(stderr: string, signal?: string | null): Crash {
  const text = stderr.replace(/\r\n?/g, '\n');
  const site = crashSite(text, signal);
  return { site, stderr: text, signal: signal ?? SIGNAL_OF[site.kind] };
}
