// blockdev-del of a named node (busy, referenced and not-monitor-owned ones included).
import fc from 'fast-check';
import { mostly, obj, pick } from '../arb.ts';
import type { CommandKind } from '../command-kind.ts';
import { hasNamedNodes, namedNodes } from '../gen-state.ts';

export const blockdevDel: CommandKind = {
  kind: 'blockdev-del',
  weight: 4,
  applicable: hasNamedNodes,
  generate: (s) =>
    obj({ 'node-name': mostly(pick(namedNodes(s).map((n) => n.name)), fc.constant('nosuch'), 20) }).map((args) => ({
      execute: 'blockdev-del',
      arguments: args,
    })),
};
