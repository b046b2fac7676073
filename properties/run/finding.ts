// A finding: the first thing that went wrong in a sequence, with a signature that identifies it across runs.
import { siteWhat } from '../../qmp/crash.ts';
import type { Crash } from '../../qmp/crash.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import { signaturePart } from '../signature/signature-form.ts';
import type { Death } from './outcome.ts';
import { isObjectValue } from '../../qmp/json-value.ts';

/** Invariant name, or one of the detectors that are not invariants. */
export type Detector = string;
export const QEMU_ABORT = 'qemu-abort';
/** A build did not reply within the deadline (it loops, or waits forever). */
export const QEMU_HANG = 'qemu-hang';
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
  /**
   * `detector/command/driver/what`, e.g. `edge-perms-match-driver-rules/job-cancel/-/blkverify.test(storage):shared-s`;
   * a crash is `qemu-abort/-/site` (its site, or a segfault's cause, says what is wrong). Fixtures before `what` have
   * three parts.
   */
  readonly signature: string;
  /** For a crash: where, typed (the message keeps what it printed). */
  readonly crash?: Crash;
  /** The known QEMU 7.2 defect it is an instance of (properties/compare/known-defects.ts `classifyBreach`): never
   * news, counted as met again under that defect's signature; its own signature still says which edge and perms. */
  readonly known?: string;
}

/** The driver a command is about: `driver`, or the first reopened node's driver. */
export function commandDriver(cmd: QmpCommand): string | undefined {
  const args = cmd.arguments;
  if (!isObjectValue(args)) return undefined;
  if (typeof args['driver'] === 'string') return args['driver'];
  const opts = args['options'];
  const first = Array.isArray(opts) ? (opts as readonly JsonValue[])[0] : undefined;
  return isObjectValue(first) && typeof first['driver'] === 'string' ? first['driver'] : undefined;
}

/**
 * The signature names the command's driver (not the node's), so one defect met under many drivers stays one.
 */
export function makeFinding(detector: Detector, step: number, cmd: QmpCommand, message: string, what?: string): Finding {
  const driver = commandDriver(cmd) ?? '-';
  const base = `${detector}/${cmd.execute}/${driver}`;
  // `what` (properties/signature/): what is wrong without names; an exception's text says too little to sort by
  return { detector, step, execute: cmd.execute, message, signature: detector === IMPL_EXCEPTION ? base : `${base}/${signaturePart(what ?? '-')}` };
}

/** Not news: an instance of a known 7.2 defect, or a signature `isKnown` (stored fixtures, listed defects) knows. */
export const isKnownFinding = (f: Finding, isKnown: (signature: string) => boolean): boolean => f.known !== undefined || isKnown(f.signature);

/** What a known finding is counted as: its defect, else its signature. */
export const knownAs = (f: Finding): string => f.known ?? f.signature;

/**
 * A crash is named by where QEMU died (its typed site, qmp/crash.ts): the same assertion reached from many commands
 * is one defect. A segfault the impl decided is named by its cause (`qemu-abort/-/segfault(driver-gone)`); a build's
 * says nothing, so it keeps its command.
 */
export function crashFinding(step: number, cmd: QmpCommand, crash: Crash): Finding {
  const what = siteWhat(crash.site);
  return { detector: QEMU_ABORT, step, execute: cmd.execute, message: crash.stderr.trim(), signature: `${QEMU_ABORT}/${what === 'segfault' ? cmd.execute : '-'}/${what}`, crash };
}

/** A build that stopped answering: named by the command it did not answer (`why`: the impl knows where 7.2 loops). */
export function hangFinding(step: number, cmd: QmpCommand, ms: number, asked: string = cmd.execute, why?: string): Finding {
  return { detector: QEMU_HANG, step, execute: cmd.execute, message: why ?? `no reply to ${asked} within ${ms} ms`, signature: `${QEMU_HANG}/${cmd.execute}/-` };
}

/** A target that stopped answering: died (by its site) or hangs (by its command). */
export function deathFinding(step: number, cmd: QmpCommand, d: Death): Finding {
  return d.kind === 'crash' ? crashFinding(step, cmd, d.crash) : hangFinding(step, cmd, d.ms, d.command, d.why);
}

/** `known-7.2-defect/<command>/<defect signature>` (properties/compare/known-defects.ts). */
export function knownDefectSignature(defect: string, cmd: QmpCommand | undefined): string {
  return `${KNOWN_72_DEFECT}/${cmd?.execute ?? '-'}/${defect}`;
}
