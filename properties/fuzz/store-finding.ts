// A finding goes to the store twice: as found (status `unshrunk`, the moment it shows), then replaced by its shrunk
// form. Both writes are atomic; a signature another process already claimed is not stored again.
import type { Scenario } from '../../qmp/scenario.ts';
import { claimSignature } from '../fixtures/claim.ts';
import type { BuildId, Fixture, FixtureStatus } from '../fixtures/fixture.ts';
import { newFixture } from '../fixtures/new-fixture.ts';
import { replaceFixture, slugOf, writeFixture } from '../fixtures/write-fixture.ts';
import type { Finding } from '../run/finding.ts';
import type { Variant } from '../run/target.ts';

export interface StoreOptions {
  readonly outDir: string;
  readonly variant: Variant;
  readonly against?: 'model' | 'qemu';
  readonly tool: string;
  /** The QEMU build the finding was made on (fuzz --target qemu). */
  readonly build?: BuildId;
}

export interface Found {
  readonly finding: Finding;
  readonly scenario: Scenario;
}

/** Where the finding's fixture is, once stored. */
export interface Stored {
  readonly name: string;
  readonly path: string;
}

export type StoreResult = { readonly kind: 'stored'; readonly stored: Stored } | { readonly kind: 'taken' };

/** The fixture for a finding on `scenario` (commands up to and including the finding's step), with its status. */
export function fixtureOf(found: Found, seed: number, path: string, status: FixtureStatus, opts: StoreOptions): Omit<Fixture, 'name'> {
  const base = newFixture({ finding: found.finding, scenario: found.scenario, variant: opts.variant, against: opts.against, seed, path, tool: opts.tool, ...(opts.build ? { build: opts.build } : {}) });
  return { ...base, status };
}

/** The status a finished fixture gets: a quirk's finding is `quirk`, any other `new` until someone triages it. */
export function finalStatus(v: Variant): FixtureStatus {
  return v.quirks.length > 0 ? 'quirk' : 'new';
}

/** Claims the signature, then writes the finding as it was found. */
export async function storeUnshrunk(found: Found, seed: number, opts: StoreOptions): Promise<StoreResult> {
  const claim = await claimSignature(opts.outDir, found.finding.signature);
  if (claim.kind === 'taken') return { kind: 'taken' };
  const start = { ...found.scenario, commands: found.scenario.commands.slice(0, found.finding.step + 1) };
  try {
    const stored = await writeFixture(opts.outDir, fixtureOf({ ...found, scenario: start }, seed, '', 'unshrunk', opts), slugOf(found.finding.signature));
    return { kind: 'stored', stored };
  } catch (e) {
    // nothing was stored: the signature must stay free for the next campaign
    await claim.release();
    throw e;
  }
}

/** Replaces the unshrunk fixture by what shrinking gave (status `unshrunk` again when it was cut short). */
export async function storeShrunk(stored: Stored, found: Found, seed: number, path: string, minimal: boolean | 'stopped', opts: StoreOptions): Promise<void> {
  const status = minimal === 'stopped' ? 'unshrunk' : finalStatus(opts.variant);
  await replaceFixture(stored.path, stored.name, fixtureOf(found, seed, path, status, opts));
}
