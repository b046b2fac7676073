// Swarm testing: each run enables a random subset of command kinds, so rare interleavings get room.
import fc from 'fast-check';
import type { CommandKind } from './command-kind.ts';
import { COMMAND_KINDS, NODE_MAKERS } from './kinds/index.ts';

const JOB_STARTERS = ['block-stream', 'block-commit', 'blockdev-mirror'];

/** A kind that can never apply without one of some others comes with the first of them. */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  'block-export-add': ['nbd-server-start'],
  'block-export-del': ['block-export-add'],
  'blockdev-add:throttle': ['object-add'],
  'object-del': ['object-add'],
  'x-blockdev-change': ['blockdev-add:quorum'],
  'block-stream': ['blockdev-add:qcow2'],
  'block-commit': ['blockdev-add:qcow2'],
  'blockdev-snapshot': ['blockdev-add:qcow2'],
  ...Object.fromEntries(['complete', 'cancel', 'finalize', 'dismiss', 'pause', 'resume'].map((v) => [`job-${v}`, JOB_STARTERS])),
};

function withNeeds(chosen: readonly CommandKind[], all: readonly CommandKind[]): CommandKind[] {
  const out = [...chosen];
  if (!out.some((k) => NODE_MAKERS.includes(k.kind))) {
    const maker = all.find((k) => NODE_MAKERS.includes(k.kind));
    if (maker) out.unshift(maker);
  }
  for (let i = 0; i < out.length; i++) {
    const need = NEEDS[out[i]?.kind ?? ''] ?? [];
    if (need.length === 0 || out.some((k) => need.includes(k.kind))) continue;
    const k = all.find((x) => x.kind === need[0]);
    if (k) out.push(k);
  }
  return out;
}

export function swarmArb(kinds: readonly CommandKind[] = COMMAND_KINDS): fc.Arbitrary<readonly CommandKind[]> {
  return fc.subarray([...kinds], { minLength: 1 }).map((chosen) => withNeeds(chosen, kinds));
}
