// What one command did on a target, whatever the target (impl, model, a QEMU build of any version).
import type { Crash } from '../../qmp/crash.ts';
import type { JsonValue } from '../../qmp/types.ts';
import { siteKey } from '../../qmp/crash.ts';

/** When a target died: instead of replying, after replying (a job's background work), or answering the graph queries. */
export type CrashPhase = 'command' | 'after-reply' | 'query';

export type StepOutcome =
  /** `value`: what an observation step (qmp/observation.ts) answered. */
  | { readonly kind: 'ok'; readonly value?: JsonValue }
  /** `code` is the impl's/model's error code; QEMU has none (null). */
  | { readonly kind: 'error'; readonly code: string | null; readonly desc: string }
  /** The target died (QEMU, or the impl saying 7.2 dies here): where, as a typed site (qmp/crash.ts). */
  | { readonly kind: 'crash'; readonly crash: Crash; readonly phase: CrashPhase }
  /** A build stopped answering: no reply to `command` (this one, or a query after an earlier reply) within `ms`;
   * the impl knows at once (`ms` 0) and says why 7.2 loops there. */
  | { readonly kind: 'hang'; readonly command: string; readonly ms: number; readonly phase: CrashPhase; readonly why?: string }
  /** The target threw: a bug in the impl or model, never an answer. */
  | { readonly kind: 'exception'; readonly message: string };

/** A target that stopped answering: it died, or it hangs. */
export type Death = Extract<StepOutcome, { kind: 'crash' | 'hang' }>;

/** The target is gone after this outcome: nothing more can be asked of it. */
export function isDeath(o: StepOutcome): o is Death {
  return o.kind === 'crash' || o.kind === 'hang';
}

const PHASE_TEXT: Readonly<Record<CrashPhase, string>> = {
  command: '',
  'after-reply': ' after the previous reply',
  query: ' answering the graph queries',
};

export function describeOutcome(o: StepOutcome): string {
  switch (o.kind) {
    case 'ok':
      return 'ok';
    case 'error':
      return `error: ${o.desc}`;
    case 'crash':
      return `crash${PHASE_TEXT[o.phase]} (${siteKey(o.crash.site)}): ${o.crash.stderr.trim() === '' ? '(nothing on stderr)' : o.crash.stderr.trim()}`;
    case 'hang':
      return o.why !== undefined ? `hang${PHASE_TEXT[o.phase]}: ${o.why}` : `hang${PHASE_TEXT[o.phase]}: no reply to ${o.command} within ${o.ms} ms`;
    case 'exception':
      return `exception: ${o.message}`;
  }
}
