// A finding: the first thing that went wrong in a sequence, with a signature that identifies it across runs.
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';

/** Invariant name, or one of the detectors that are not invariants. */
export type Detector = string;
export const QEMU_ABORT = 'qemu-abort';
export const IMPL_EXCEPTION = 'impl-exception';
export const DISAGREEMENT = 'disagreement';
/** A step where the model explains the impl's difference as a known QEMU 7.2 defect: a fix switch's fixture shows it. */
export const KNOWN_72_DEFECT = 'known-7.2-defect';

export interface Finding {
  readonly detector: Detector;
  /** Index into the scenario's commands of the step that showed it. */
  readonly step: number;
  readonly execute: string;
  readonly message: string;
  /** `detector/command/driver`, e.g. `edge-perms-match-driver-rules/blockdev-reopen/qcow2`. */
  readonly signature: string;
}

const isObject = (v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The driver a command is about: `driver`, or the first reopened node's driver. */
export function commandDriver(cmd: QmpCommand): string | undefined {
  const args = cmd.arguments;
  if (!isObject(args)) return undefined;
  if (typeof args['driver'] === 'string') return args['driver'];
  const opts = args['options'];
  const first = Array.isArray(opts) ? (opts as readonly JsonValue[])[0] : undefined;
  return isObject(first) && typeof first['driver'] === 'string' ? first['driver'] : undefined;
}

/**
 * Where QEMU crashed, from its last words: the function of a failed assertion or an `&error_abort`
 * (`mirror_dirty_init`), blkverify's mismatch exit, or `segfault` when it died silently.
 */
export function abortSite(stderr: string): string {
  // qcow2's corruption notices are logged on the way; what killed QEMU comes after them
  const text = stderr.replace(/^qcow2: Marking image as corrupt: .*$\n?/gm, '').trim();
  if (text === '') return 'segfault';
  const site = /: ([A-Za-z_][A-Za-z0-9_]*): Assertion /.exec(text) ?? /Unexpected error in ([A-Za-z_][A-Za-z0-9_]*)\(\)/.exec(text);
  if (site?.[1] !== undefined) return site[1];
  if (/^blkverify: .* contents mismatch/m.test(text)) return 'blkverify-mismatch';
  // error_report_err and then a silent death (commit_abort on the node bdrv_drop_intermediate freed)
  if (/^qemu-storage-daemon: /.test(text)) return 'reported-then-died';
  return text.split('\n')[0]?.toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'abort';
}

/**
 * The signature names the command's driver (not the node's), so one defect met under many drivers stays one. A
 * crash is named by where QEMU died instead: the same assertion reached from many commands is one defect, while a
 * silent death keeps its command.
 */
export function makeFinding(detector: Detector, step: number, cmd: QmpCommand, message: string): Finding {
  if (detector === QEMU_ABORT) {
    const site = abortSite(message);
    return { detector, step, execute: cmd.execute, message, signature: `${detector}/${site === 'segfault' ? cmd.execute : '-'}/${site}` };
  }
  const driver = commandDriver(cmd) ?? '-';
  return { detector, step, execute: cmd.execute, message, signature: `${detector}/${cmd.execute}/${driver}` };
}

/** `known-7.2-defect/<command>/<defect signature>` (properties/compare/known-defects.ts). */
export function knownDefectSignature(defect: string, cmd: QmpCommand | undefined): string {
  return `${KNOWN_72_DEFECT}/${cmd?.execute ?? '-'}/${defect}`;
}
