// Long fixtures for replay timing: many steps over a graph that stays small, or one that grows a node a step.
import type { QmpCommand } from '../../qmp/types.ts';
import { FIXTURE_FORMAT } from '../fixtures/fixture.ts';
import type { Fixture } from '../fixtures/fixture.ts';

function fixture(commands: readonly QmpCommand[]): Fixture {
  return {
    format: FIXTURE_FORMAT, name: '0001-long', status: 'new', scenario: { images: [], commands },
    finding: { detector: 'never', step: commands.length - 1, message: '', signature: 'never/blockdev-del/-' },
    provenance: { seed: 1, path: '', tool: 'test', quirks: [], fixes: [] },
    expect: { reproduces: { quirks: [], fixes: [] }, passes: null },
  };
}

/** Adds and deletes one node, `pairs` times. */
export function flatFixture(pairs: number): Fixture {
  return fixture(
    Array.from({ length: pairs }, (_, i): QmpCommand[] => [
      { execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': `n${i}` } },
      { execute: 'blockdev-del', arguments: { 'node-name': `n${i}` } },
    ]).flat(),
  );
}

/** Adds `steps` nodes, one a step. */
export function growingFixture(steps: number): Fixture {
  return fixture(Array.from({ length: steps }, (_, i): QmpCommand => ({ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': `n${i}` } })));
}
