import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import { replayFixture } from './replay-fixture.ts';

const loaded = await loadFixtureDir(fileURLToPath(new URL('../../shrunk-cases/', import.meta.url)));
const first = loaded.flatMap((l) => (l.ok ? [l.fixture] : []))[0];

describe('replayFixture', () => {
  it('says QEMU is needed, and how to get it, instead of failing', async () => {
    if (!first) throw new Error('shrunk-cases/ has no fixture');
    expect(await replayFixture(first, { target: 'qemu' })).toEqual({
      kind: 'not-available',
      reason: 'needs qemu-storage-daemon and qemu-img (--qemu DIR, or apt-get install qemu-system-common qemu-utils)',
    });
  });

  it('replays a disagreement fixture against what it was found against', async () => {
    if (!first) throw new Error('shrunk-cases/ has no fixture');
    const f = { ...first, finding: { ...first.finding, detector: 'disagreement', against: 'qemu' as const } };
    expect((await replayFixture(f, { target: 'impl' })).kind).toBe('not-available');
  });
});
