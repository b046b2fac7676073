// What fuzz and explore count as known: the project's store (shrunk-cases/, or --store) and --out, whatever --out is,
// plus the QEMU 7.2 defects; an empty --out never makes a stored finding news again, on the impl or on a build.
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Fixture } from '../../properties/fixtures/fixture.ts';
import { expectedUnder, knownSignatures } from '../../properties/fixtures/known-signatures.ts';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import type { LoadFixtureResult } from '../../properties/fixtures/load-fixtures.ts';
import { projectKnown } from '../../properties/signature/project-known.ts';
import { PLAIN } from '../../properties/run/target.ts';
import type { Variant } from '../../properties/run/target.ts';
import { buildSignatures } from '../../properties/triage/expected.ts';

export type KnownFindings = { readonly ok: true; readonly signatures: ReadonlySet<string> } | { readonly ok: false; readonly message: string };

type Say = (s: string) => void;
const stderr: Say = (s) => void process.stderr.write(s);

/** The store's fixtures and --out's (`outLoaded`, already read by the caller); the store is read unless it is --out. */
async function projectFixtures(storeDir: string, outDir: string, outLoaded: readonly LoadFixtureResult[], say: Say): Promise<{ readonly ok: true; readonly fixtures: Fixture[] } | { readonly ok: false; readonly message: string }> {
  const store = resolve(storeDir);
  if (!existsSync(store) || !statSync(store).isDirectory()) return { ok: false, message: `--store: '${storeDir}' is not a directory` };
  const fromStore = store === resolve(outDir) ? [] : await loadFixtureDir(store);
  for (const l of fromStore) if (!l.ok) say(`bgcheck: ignoring ${store}: ${l.error.message}\n`);
  return { ok: true, fixtures: [...fromStore, ...outLoaded].flatMap((l) => (l.ok ? [l.fixture] : [])) };
}

/** Known when fuzzing the impl under `variant`: each fixture by its current signature (project-known.ts). */
export async function knownFindings(storeDir: string, outDir: string, outLoaded: readonly LoadFixtureResult[], variant: Variant, say: Say = stderr): Promise<KnownFindings> {
  const p = await projectFixtures(storeDir, outDir, outLoaded, say);
  if (!p.ok) return p;
  const known = await projectKnown(p.fixtures, variant);
  for (const c of known.coarse) say(`bgcheck: ${c.name}: known by its three-part signature only (${c.why})\n`);
  return { ok: true, signatures: known.signatures };
}

/** Known when fuzzing a build of `version`: each fixture as stored, and as a build shows it through QMP. */
export async function knownOnBuild(storeDir: string, outDir: string, outLoaded: readonly LoadFixtureResult[], version: string, say: Say = stderr): Promise<KnownFindings> {
  const p = await projectFixtures(storeDir, outDir, outLoaded, say);
  if (!p.ok) return p;
  const shown = await buildSignatures(p.fixtures.filter((f) => expectedUnder(f, PLAIN)));
  return { ok: true, signatures: new Set([...knownSignatures(p.fixtures, PLAIN, version), ...shown]) };
}
