// The shape every blockdev-add kind shares: driver, a fresh node-name, the driver's fields, generic flags.
import fc from 'fast-check';
import type { JsonValue } from '../../../qmp/types.ts';
import { mostly, obj } from '../arb.ts';
import type { CommandKind, GenState } from '../command-kind.ts';
import { freshName } from '../gen-state.ts';
import { maybeInvalid } from '../perturb.ts';

/**
 * read-only and force-share together: force-share alone is the slightly invalid case. Force-share nodes are kept
 * fewer: every reopen of one (a job's too) meets a known 7.2 defect, which ends the model comparison.
 */
type Flags = readonly [readOnly: boolean | undefined, forceShare: boolean];
const FLAGS: fc.Arbitrary<Flags> = mostly(
  fc.oneof(
    { weight: 8, arbitrary: fc.constant<Flags>([undefined, false]) },
    { weight: 2, arbitrary: fc.constant<Flags>([false, false]) },
    { weight: 3, arbitrary: fc.constant<Flags>([true, false]) },
    { weight: 1, arbitrary: fc.constant<Flags>([true, true]) },
  ),
  fc.constant<Flags>([undefined, true]),
  30,
);

export type Fields = { readonly [k: string]: fc.Arbitrary<JsonValue | undefined> };

export function addKind(driver: string, weight: number, fields: (s: GenState) => Fields, applicable: (s: GenState) => boolean = () => true): CommandKind {
  return {
    kind: `blockdev-add:${driver}`,
    weight,
    applicable,
    generate: (s) =>
      fc
        .tuple(maybeInvalid(obj({ driver: fc.constant(driver), 'node-name': freshName(s), ...fields(s) })), FLAGS)
        .map(([args, [ro, fs]]) => ({
          execute: 'blockdev-add',
          arguments: { ...args, ...(ro !== undefined ? { 'read-only': ro } : {}), ...(fs ? { 'force-share': true } : {}) },
        })),
  };
}
