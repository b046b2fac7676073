// What one command did on a target, as the checker compares and classifies it.
import type { Crash } from '../../qmp/crash.ts';
import type { JsonValue } from '../../qmp/types.ts';

export type StepOutcome =
  /** `value`: what an observation step (qmp/observation.ts) answered. */
  | { readonly kind: 'ok'; readonly value?: JsonValue }
  /** `code` is the impl's/model's error code; QEMU has none (null). */
  | { readonly kind: 'error'; readonly code: string | null; readonly desc: string }
  /** QEMU 7.2 aborts here (the impl's qemu-abort, with its typed crash), or a real daemon died. */
  | { readonly kind: 'abort'; readonly stderr: string; readonly crash?: Crash }
  /** The target threw: a bug in the impl, never an answer. */
  | { readonly kind: 'exception'; readonly message: string };

export function describeOutcome(o: StepOutcome): string {
  switch (o.kind) {
    case 'ok':
      return 'ok';
    case 'error':
      return `error: ${o.desc}`;
    case 'abort':
      return `abort: ${o.stderr.trim()}`;
    case 'exception':
      return `exception: ${o.message}`;
  }
}
