import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observationOf } from '../../../qmp/observation.ts';
import { CheckSession } from '../../run/check-session.ts';
import { PLAIN } from '../../run/target.ts';
import { CHECKSUM_MAX_BYTES, observeBlockStatus, observeChecksum } from './observe.ts';

async function stateWith(nodes: readonly Record<string, unknown>[]) {
  const opened = await CheckSession.open([], { variant: PLAIN, graphs: false });
  if (!opened.ok) throw new Error(opened.error.message);
  for (const n of nodes) await opened.session.step({ execute: 'blockdev-add', arguments: { driver: 'null-co', ...n } });
  const state = { snapshot: opened.session.snapshot, images: [] };
  await opened.session.close();
  return state;
}

describe('observation generators', () => {
  it('ask for a checksum only of nodes small enough to read whole; block status of any node', async () => {
    const s = await stateWith([{ 'node-name': 'big' }, { 'node-name': 'small', size: CHECKSUM_MAX_BYTES }]);
    const asked = fc.sample(observeChecksum.generate(s), 50).map((c) => observationOf(c)?.node);
    expect(new Set(asked)).toEqual(new Set(['small']));
    expect(new Set(fc.sample(observeBlockStatus.generate(s), 50).map((c) => observationOf(c)?.node))).toEqual(new Set(['big', 'small']));
  });

  it("a null-co of the default 1 GiB alone: no checksum to ask for", async () => {
    const s = await stateWith([{ 'node-name': 'big' }]);
    expect(observeChecksum.applicable(s)).toBe(false);
    expect(observeBlockStatus.applicable(s)).toBe(true);
  });
});
