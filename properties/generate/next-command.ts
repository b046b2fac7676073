// The next command of a run: a weighted choice among the enabled kinds that apply, then that kind's command.
import fc from 'fast-check';
import type { QmpCommand } from '../../qmp/types.ts';
import type { CommandKind, GenState } from './command-kind.ts';

export interface DrawnCommand {
  readonly kind: string;
  readonly command: QmpCommand;
}

/** A run's enabled kinds, each with its one-value arbitrary made once for the run rather than once a step. */
export class KindPicker {
  private readonly choices: readonly (readonly [CommandKind, fc.Arbitrary<CommandKind>])[];

  constructor(enabled: readonly CommandKind[]) {
    this.choices = enabled.map((k) => [k, fc.constant(k)] as const);
  }

  /** Weighted pick among the usable kinds; undefined when none applies (the run ends early). */
  arb(s: GenState): fc.Arbitrary<CommandKind> | undefined {
    const usable: { weight: number; arbitrary: fc.Arbitrary<CommandKind> }[] = [];
    for (const [k, arbitrary] of this.choices) if (k.applicable(s)) usable.push({ weight: k.weightIn?.(s) ?? k.weight, arbitrary });
    return usable.length === 0 ? undefined : fc.oneof(...usable);
  }
}

/** Weighted pick among the usable kinds; undefined when none applies (the run ends early). */
export function kindArb(enabled: readonly CommandKind[], s: GenState): fc.Arbitrary<CommandKind> | undefined {
  return new KindPicker(enabled).arb(s);
}

/** Kind and command in one arbitrary (only the chosen kind builds its generator). */
export function nextCommandArb(enabled: readonly CommandKind[], s: GenState): fc.Arbitrary<DrawnCommand> | undefined {
  return kindArb(enabled, s)?.chain((k) => k.generate(s).map((command): DrawnCommand => ({ kind: k.kind, command })));
}
