// A finding: the first thing that went wrong in a sequence, with a signature that identifies it across runs.
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';

/** Invariant name, or one of the detectors that are not invariants. */
export type Detector = string;
export const QEMU_ABORT = 'qemu-abort';
export const IMPL_EXCEPTION = 'impl-exception';
export const DISAGREEMENT = 'disagreement';

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

/** The signature names the command's driver (not the node's), so one defect met under many drivers stays one. */
export function makeFinding(detector: Detector, step: number, cmd: QmpCommand, message: string): Finding {
  const driver = commandDriver(cmd) ?? '-';
  return { detector, step, execute: cmd.execute, message, signature: `${detector}/${cmd.execute}/${driver}` };
}
