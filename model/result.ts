// Expected rejections are values with a shared code; a broken model invariant throws.
import type { ErrorCode } from '../qmp/error-codes.ts';
import type { ModelState } from './state.ts';

export interface ModelError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T = void> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ModelError };

export const OK: Result = { ok: true, value: undefined };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });

/** Runs steps in order and stops at the first failure. */
export function seq(...steps: readonly (() => Result<unknown>)[]): Result {
  for (const s of steps) {
    const r = s();
    if (!r.ok) return r;
  }
  return OK;
}

export class ModelBug extends Error {
  override readonly name = 'ModelBug';
}

/** A job's filter that cannot be dropped without a conflict refuses the command that would drop it (apply.ts);
 * 7.2 aborts there instead (I10 does not hold after a writer joined below an active commit's mirror_top). */
export class DropRefused extends Error {
  override readonly name = 'DropRefused';
  constructor(readonly error: ModelError) {
    super(error.message);
  }
}

/** A command that fails after a change QEMU does not undo: apply keeps `state` (commit_active_start's read-only
 * restore of the base is a fresh reopen, job-commit-active-19). */
export class FailedWithResidue extends Error {
  override readonly name = 'FailedWithResidue';
  constructor(
    readonly error: ModelError,
    readonly state: ModelState,
  ) {
    super(error.message);
  }
}
