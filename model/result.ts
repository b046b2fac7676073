// What an operation says, as values: a result, a refusal with a shared code, or "not judged"; only model bugs throw.
import type { ErrorCode } from '../qmp/error-codes.ts';

export type ModelError = { readonly code: ErrorCode; readonly message: string };

/** Why the model does not judge a step: image bytes, drains that outlive a command, file names (model/README.md). */
export type Unjudged = 'image-data' | 'drain' | 'file-name';

/** `also`: the other errors QEMU may give instead (checks whose order the model does not follow). */
export type Refusal = { readonly ok: false; readonly error: ModelError; readonly also?: readonly ModelError[] };
export type Failure = Refusal | { readonly ok: false; readonly unjudged: Unjudged };
export type Result<T = void> = { readonly ok: true; readonly value: T } | Failure;

export const OK: Result = { ok: true, value: undefined };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Refusal => ({ ok: false, error: { code, message } });
export const unjudged = (why: Unjudged): Failure => ({ ok: false, unjudged: why });
/** A refusal with every error of `errors` allowed (the first stands for them where one is shown). */
export const anyOf = ([error, ...also]: readonly ModelError[]): Result => (error === undefined ? OK : { ok: false, error, also });
export const isRefusal = (r: Result<unknown>): r is Refusal => !r.ok && 'error' in r;
/** Checks QEMU makes in an order the model does not follow: any refusal among them is allowed, else "not judged". */
export function failureOf(...rs: readonly Result<unknown>[]): Failure | undefined {
  const [error, ...also] = rs.filter(isRefusal).flatMap((r) => [r.error, ...(r.also ?? [])]);
  return error !== undefined ? { ok: false, error, also } : rs.find((r): r is Failure => !r.ok);
}

/** Runs steps in order and stops at the first failure. */
export function seq(...steps: readonly (() => Result<unknown>)[]): Result {
  for (const s of steps) {
    const r = s();
    if (!r.ok) return r;
  }
  return OK;
}

/** A refusal QEMU ignores (an internal read-only reopen) or turns into a job's error text; "not judged" stays. */
export const ignored = (r: Result<unknown>): Result => (r.ok || isRefusal(r) ? OK : r);
export const asJobError = (r: Result<unknown>, text?: string): Result<string | undefined> => (isRefusal(r) ? ok(text ?? r.error.message) : r.ok ? ok(undefined) : r);

export class ModelBug extends Error {
  override readonly name = 'ModelBug';
}
