// Expected rejections are values; bugs throw (assertNever / InternalError).
import type { QmpErrorClass } from '../../qmp/types.ts';
import type { ErrorCode } from '../../qmp/error-codes.ts';
export type { ErrorCode };

export interface BlockError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly errorClass: QmpErrorClass;
  /** error_append_hint text: not in the QMP reply, but error_report_err prints it. */
  readonly hint?: string;
  /** Where QEMU's error_setg made it (function, file:line of the Debian 7.2 build, 0 where not measured): the site
   * an &error_abort on it dies at. */
  readonly raisedAt?: { readonly fn: string; readonly at: string };
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BlockError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export const OK: Result<void> = Object.freeze({ ok: true, value: undefined });

export function fail<T = never>(code: ErrorCode, message: string, errorClass: QmpErrorClass = 'GenericError'): Result<T> {
  return { ok: false, error: { code, message, errorClass } };
}

/** Stamps a failure with the QEMU function that raised it (BlockError.raisedAt). */
export function raisedAt<T>(r: Result<T>, fn: string, at: string): Result<T> {
  return r.ok ? r : { ok: false, error: { ...r.error, raisedAt: { fn, at } } };
}

/** The text error_report_err prints for this error. */
export function reportText(e: BlockError): string {
  return `qemu-storage-daemon: ${e.message}\n${e.hint ?? ''}`;
}

/** Callers prefix context, as QEMU's error_prepend does. */
export function prefixError<T>(r: Result<T>, prefix: string): Result<T> {
  return r.ok ? r : { ok: false, error: { ...r.error, message: prefix + r.error.message } };
}

export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export function assertNever(x: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(x)}`);
}

export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new InternalError(message);
}
