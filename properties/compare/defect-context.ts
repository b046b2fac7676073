// What a known 7.2 defect is recognised by: the command, what the other side did (its outcome, graph and crash
// site, typed by qmp/crash.ts), what the model allowed and what the command did on the way (model facts).
import type { CommandFacts, ModelState } from '../../model/index.ts';
import type { CrashSite } from '../../qmp/crash.ts';
import type { Sha256Memo } from '../../qmp/runs-sha256.ts';
import type { JsonValue, QmpCommand } from '../../qmp/types.ts';
import type { StepOutcome } from '../run/outcome.ts';
import type { TargetStep } from '../run/target.ts';
import type { Allowed } from './judge.ts';

/** What only the impl can say about itself (absent against QEMU's recordings). */
export interface ImplFacts {
  /** Where a job it started will kill it right after this reply (the next command finds it dead). */
  readonly crashAfterReply: CrashSite | undefined;
  /** Its checksum hashes by content: the model's side hashes the same bytes when they agree. */
  readonly checksums?: Sha256Memo;
}

export interface DefectContext {
  readonly cmd: QmpCommand;
  readonly seen: TargetStep;
  /** Where the other side died at this step, if it did. */
  readonly crash: CrashSite | undefined;
  readonly allowed: readonly Allowed[];
  readonly facts: CommandFacts;
  readonly before: ModelState;
  readonly impl: ImplFacts | undefined;
}

export const arg = (c: QmpCommand, k: string): JsonValue | undefined =>
  typeof c.arguments === 'object' && c.arguments !== null && !Array.isArray(c.arguments) ? (c.arguments as { readonly [k: string]: JsonValue })[k] : undefined;

export const errorCode = (o: StepOutcome): string | null | undefined => (o.kind === 'error' ? o.code : undefined);

/** The model allowed only refusals, all with this code. */
export const modelRefuses = (c: DefectContext, code: string): boolean => c.allowed.every((a) => !a.branch.outcome.ok && a.branch.outcome.error.code === code);
/** One of the outcomes the model allows is this refusal (others: checks whose outcome it does not follow). */
export const modelMayRefuse = (c: DefectContext, code: string): boolean => c.allowed.some((a) => !a.branch.outcome.ok && a.branch.outcome.error.code === code);
export const modelAccepts = (c: DefectContext): boolean => c.allowed.some((a) => a.branch.outcome.ok);

/** Died here, or (impl) right after this reply, at a site `where` accepts. */
export function dies(c: DefectContext, where: (s: CrashSite) => boolean, when: 'now' | 'now-or-after' = 'now-or-after'): boolean {
  const after = when === 'now-or-after' ? c.impl?.crashAfterReply : undefined;
  return (c.crash !== undefined && where(c.crash)) || (after !== undefined && where(after));
}

/** The other side stopped answering at this step (the impl says where 7.2 loops for good). */
export const hangs = (c: DefectContext): boolean => c.seen.outcome.kind === 'hang';

export const assertion = (fn: string, expr?: string) => (s: CrashSite): boolean => s.kind === 'assertion' && s.fn === fn && (expr === undefined || s.expr.includes(expr));
export const errorAbort = (fn: string) => (s: CrashSite): boolean => s.kind === 'error-abort' && s.fn === fn;
export const siteKind = (kind: CrashSite['kind']) => (s: CrashSite): boolean => s.kind === kind;

/** Edges the command moved between a force-share child and one without: QEMU keeps their old perms (only the new
 * child's subtree is refreshed), so they share what the old child made them share. */
export function movedAcrossForceShare(c: DefectContext, from: 'to-force-share' | 'from-force-share'): boolean {
  const fs = (name: string): boolean => c.before.nodes.some((n) => n.name === name && n.forceShare);
  return c.facts.moved.some((m) => (from === 'to-force-share' ? !fs(m.from) && fs(m.to) : fs(m.from) && !fs(m.to)));
}
