// What fuzz counts as known: the store's fixtures whatever --out is, on the impl and on a build.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../properties/run/target.ts';
import { knownFindings, knownOnBuild } from './known-findings.ts';
import { tempDirs } from '../../qmp/temp-dirs.test-support.ts';

const CASE = '0007-failed-command-leaves-graph-unchanged-block-stream.json';
const tmp = tempDirs('bgcheck-known-test-');

/** A store holding the failed block-stream fixture, and an empty --out. */
function storeAndOut(): { store: string; out: string } {
  const store = tmp();
  copyFileSync(fileURLToPath(new URL(`../../shrunk-cases/${CASE}`, import.meta.url)), join(store, CASE));
  return { store, out: tmp() };
}

describe('known findings', () => {
  it('on a build: the store is known through an empty --out, by the signature the build shows', async () => {
    const { store, out } = storeAndOut();
    const k = await knownOnBuild(store, out, [], '7.2.22', () => undefined);
    const empty = await knownOnBuild(tmp(), out, [], '7.2.22', () => undefined);
    expect(k.ok && empty.ok).toBe(true);
    if (!k.ok || !empty.ok) return;
    const added = [...k.signatures].filter((s) => !empty.signatures.has(s));
    expect(added).toContain('failed-command-leaves-graph-unchanged/block-stream/-');
    expect(added.some((s) => s.startsWith('failed-command-leaves-graph-unchanged/block-stream/-/'))).toBe(true);
  });

  it('on the impl: the same', async () => {
    const { store, out } = storeAndOut();
    const k = await knownFindings(store, out, [], PLAIN, () => undefined);
    const empty = await knownFindings(tmp(), out, [], PLAIN, () => undefined);
    expect(k.ok && empty.ok).toBe(true);
    if (!k.ok || !empty.ok) return;
    expect([...k.signatures].filter((s) => !empty.signatures.has(s)).some((s) => s.startsWith('failed-command-leaves-graph-unchanged/block-stream/-'))).toBe(true);
  });

  it('names a --store that is not a directory', async () => {
    const k = await knownOnBuild(join(tmp(), 'nope'), tmp(), [], '7.2.22', () => undefined);
    expect(k.ok ? 'ok' : k.message).toMatch(/^--store: '.*nope' is not a directory$/);
  });
});
