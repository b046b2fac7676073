// block-export-del of an export that exists (now and then one that does not).
import fc from 'fast-check';
import { mostly, obj, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { EXPORT_IDS } from '../gen-state.ts';

export const exportDel: CommandKind = {
  kind: 'block-export-del',
  weight: 2,
  applicable: (s) => s.snapshot.exports.length > 0,
  generate: (s) =>
    obj({ id: mostly(pick(s.snapshot.exports.map((e) => e.id)), pick(EXPORT_IDS), 8), mode: mostly(fc.constant(undefined), fc.constant('hard'), 10) }).map(
      (args) => ({ execute: 'block-export-del', arguments: args }),
    ),
};
