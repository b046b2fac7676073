// A finding: the first thing that went wrong in a sequence, with a signature that identifies it across runs.
import { crashSite, siteKey } from '../../qmp/crash.ts';
import type { Crash } from '../../qmp/crash.ts';
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

/** Where QEMU crashed, from its last words, as the one word signatures use (qmp/crash.ts). */
export function abortSite(stderr: string): string {
  return siteKey(crashSite(stderr));
}

/**
 * The signature names the command's driver (not the node's), so one defect met under many drivers stays one. A
 * crash is named by where QEMU died instead: the same assertion reached from many commands is one defect, while a
 * silent death keeps its command.
 */
export function makeFinding(detector: Detector, step: number, cmd: QmpCommand, message: string, crash?: Crash): Finding {
  if (detector === QEMU_ABORT) {
    // a typed crash (the impl's) names its site; a message is read the same way (qmp/crash.ts)
    const site = crash ? siteKey(crash.site) : abortSite(message);
    return { detector, step, execute: cmd.execute, message, signature: `${detector}/${site === 'segfault' ? cmd.execute : '-'}/${site}` };
  }
  const driver = commandDriver(cmd) ?? '-';
  return { detector, step, execute: cmd.execute, message, signature: `${detector}/${cmd.execute}/${driver}` };
}

/** `known-7.2-defect/<command>/<defect signature>` (properties/compare/known-defects.ts). */
export function knownDefectSignature(defect: string, cmd: QmpCommand | undefined): string {
  return `${KNOWN_72_DEFECT}/${cmd?.execute ?? '-'}/${defect}`;
}
