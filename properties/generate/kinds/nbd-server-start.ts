// nbd-server-start: exports need a running server (a second start is QMP-valid but only says so).
import fc from 'fast-check';
import type { CommandKind } from '../command-kind.ts';

export const nbdServerStart: CommandKind = {
  kind: 'nbd-server-start',
  weight: 3,
  applicable: (s) => !s.snapshot.nbdServerRunning,
  generate: () => fc.constant({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: 'nbd.sock' } } } }),
};
