// What fuzz and explore count as known: the project's store (shrunk-cases/, or --store) and --out, whatever --out is,
// plus the QEMU 7.2 defects; an empty --out never makes a stored finding news again.
import { resolve } from 'node:path';
import { loadFixtureDir } from '../../properties/fixtures/load-fixtures.ts';
import type { LoadFixtureResult } from '../../properties/fixtures/load-fixtures.ts';
import { projectKnown } from '../../properties/signature/project-known.ts';
import type { Variant } from '../../properties/run/target.ts';
import { existsSync, statSync } from 'node:fs';

export type KnownFindings = { readonly ok: true; readonly signatures: ReadonlySet<string> } | { readonly ok: false; readonly message: string };

/** `outLoaded`: --out's fixtures, already read by the caller; the store is read here unless it is --out itself. */
export async function knownFindings(storeDir: string, outDir: string, outLoaded: readonly LoadFixtureResult[], variant: Variant, say = (s: string) => void process.stderr.write(s)): Promise<KnownFindings> {
  const store = resolve(storeDir);
  if (!existsSync(store) || !statSync(store).isDirectory()) return { ok: false, message: `--store: '${storeDir}' is not a directory` };
  const fromStore = store === resolve(outDir) ? [] : await loadFixtureDir(store);
  for (const l of fromStore) if (!l.ok) say(`bgcheck: ignoring ${store}: ${l.error.message}\n`);
  const fixtures = [...fromStore, ...outLoaded].flatMap((l) => (l.ok ? [l.fixture] : []));
  const known = await projectKnown(fixtures, variant);
  for (const c of known.coarse) say(`bgcheck: ${c.name}: known by its three-part signature only (${c.why})\n`);
  return { ok: true, signatures: known.signatures };
}
