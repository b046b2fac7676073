// The findings that are not news: QEMU 7.2 defects (known-signatures.json) and every fixture of the project's store
// and of --out, each by its current signature. A fixture stored before signatures said what is wrong (three parts, or a
// segfault by its command) is replayed once (on the impl, with its quirks and fixes, against the model) to learn it.
import type { Fixture } from '../fixtures/fixture.ts';
import { expectedUnder, qemuDefectSignatures } from '../fixtures/known-signatures.ts';
import { ModelTarget } from '../run/model-target.ts';
import { checkScenario } from '../run/run-scenario.ts';
import type { Variant } from '../run/target.ts';
import { isCoarse, isCommandSegfault, sameSignature } from './signature-form.ts';

export type FixtureSignature =
  | { readonly kind: 'stored'; readonly signature: string }
  | { readonly kind: 'replayed'; readonly signature: string }
  /** Could not be replayed here (a comparison with QEMU, or it no longer shows): its three parts are all we know. */
  | { readonly kind: 'coarse'; readonly signature: string; readonly why: string };

export async function fixtureSignature(f: Fixture): Promise<FixtureSignature> {
  const stored = f.finding.signature;
  // a segfault stored by its command is whole as a build shows it; on the impl it may now sign by its cause
  const segfault = isCommandSegfault(stored);
  const asStored: FixtureSignature = { kind: 'stored', signature: stored };
  if (!isCoarse(stored) && !segfault) return asStored;
  // a finding about another build (QEMU 7.2 does not show it, so neither does the impl): its stored form is all there is
  if (Object.entries(f.expect.builds ?? {}).some(([v, k]) => v.startsWith('7.2') && k === 'fixed')) return asStored;
  if (f.finding.against === 'qemu') return segfault ? asStored : { kind: 'coarse', signature: stored, why: 'a comparison with QEMU is not replayed to learn its signature' };
  const v = await checkScenario(f.scenario, {
    variant: f.expect.reproduces,
    graphs: false,
    ...(f.finding.against === 'model' ? { check: new ModelTarget() } : {}),
  });
  if (v.kind === 'finding' && sameSignature(stored, v.finding.signature)) return { kind: 'replayed', signature: v.finding.signature };
  if (segfault) return asStored;
  return { kind: 'coarse', signature: stored, why: v.kind === 'finding' ? `it shows ${v.finding.signature} now` : 'it no longer shows' };
}

export interface ProjectKnown {
  readonly signatures: Set<string>;
  /** Fixtures whose full signature could not be learnt, by name. */
  readonly coarse: readonly { readonly name: string; readonly why: string }[];
}

/** Known under `variant`: the 7.2 defects, and each fixture the variant is expected to show (expectedUnder). */
export async function projectKnown(fixtures: readonly Fixture[], variant: Variant): Promise<ProjectKnown> {
  const signatures = new Set(qemuDefectSignatures());
  const coarse: { name: string; why: string }[] = [];
  for (const f of fixtures.filter((x) => expectedUnder(x, variant))) {
    const s = await fixtureSignature(f);
    signatures.add(s.signature);
    if (s.kind === 'coarse') coarse.push({ name: f.name, why: s.why });
  }
  return { signatures, coarse };
}
