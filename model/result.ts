// What an operation says: a value, a refusal with a shared code, or "not judged" where QEMU's outcome depends on
// what the model deliberately does not follow. All three are values; only a broken model invariant throws.
import type { ErrorCode } from '../qmp/error-codes.ts';

export interface ModelError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Why the model does not judge a step (model/README.md "What is not judged"). */
export type Unjudged =
  /** image bytes: a header or length a job or a truncate wrote, a qcow2 reading metadata from another file */
  | 'image-data'
  /** a completed mirror waiting for job-finalize drains its source: jobs with edges there wait in QEMU */
  | 'drain'
  /** a deprecated file-name argument naming a node whose file name is not a plain one */
  | 'file-name';

export type Refusal = { readonly ok: false; readonly error: ModelError };
export type Failure = Refusal | { readonly ok: false; readonly unjudged: Unjudged };
export type Result<T = void> = { readonly ok: true; readonly value: T } | Failure;

export const OK: Result = { ok: true, value: undefined };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Refusal => ({ ok: false, error: { code, message } });
export const unjudged = (why: Unjudged): Failure => ({ ok: false, unjudged: why });

/** A value the model may not know (a length or header after a write): undefined is `image-data`. */
export const known = <T>(v: T | undefined): Result<T> => (v === undefined ? unjudged('image-data') : ok(v));

/** Runs steps in order and stops at the first failure. */
export function seq(...steps: readonly (() => Result<unknown>)[]): Result {
  for (const s of steps) {
    const r = s();
    if (!r.ok) return r;
  }
  return OK;
}

/** Rewords a refusal (QEMU prefixes a nested open's error); "not judged" passes unchanged. */
export function reword<T>(r: Result<T>, f: (message: string) => string): Result<T> {
  return r.ok || !('error' in r) ? r : fail(r.error.code, f(r.error.message));
}

/** A failure QEMU ignores (an internal read-only reopen); "not judged" is never ignored. */
export const ignored = (r: Result<unknown>): Result => (r.ok || 'error' in r ? OK : r);

export class ModelBug extends Error {
  override readonly name = 'ModelBug';
}
