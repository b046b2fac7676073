// The next command of a run: a weighted choice among the enabled kinds that apply, then that kind's command.
import fc from 'fast-check';
import type { QmpCommand } from '../../qmp/types.ts';
import type { CommandKind, GenState } from './command-kind.ts';

export interface DrawnCommand {
  readonly kind: string;
  readonly command: QmpCommand;
}

/** Weighted pick among the usable kinds; undefined when none applies (the run ends early). */
export function kindArb(enabled: readonly CommandKind[], s: GenState): fc.Arbitrary<CommandKind> | undefined {
  const usable = enabled.filter((k) => k.applicable(s));
  if (usable.length === 0) return undefined;
  return fc.oneof(...usable.map((k) => ({ weight: k.weightIn?.(s) ?? k.weight, arbitrary: fc.constant(k) })));
}

/** Kind and command in one arbitrary (only the chosen kind builds its generator). */
export function nextCommandArb(enabled: readonly CommandKind[], s: GenState): fc.Arbitrary<DrawnCommand> | undefined {
  return kindArb(enabled, s)?.chain((k) => k.generate(s).map((command): DrawnCommand => ({ kind: k.kind, command })));
}
