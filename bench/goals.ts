// What a time-to-detect trial looks for: a quirk's finding (it passes without the quirk), or the stored QEMU 7.2
// defect classes found from an empty store. Both tools (bgcheck, the fast-check baseline) are judged alike.
import type { Scenario } from '../qmp/scenario.ts';
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { qemuDefectSignatures } from '../properties/fixtures/known-signatures.ts';
import { fixtureSignature, projectKnown } from '../properties/signature/project-known.ts';
import { sameSignature } from '../properties/signature/signature-form.ts';
import type { Finding } from '../properties/run/finding.ts';
import { ModelTarget } from '../properties/run/model-target.ts';
import { checkScenario } from '../properties/run/run-scenario.ts';
import { PLAIN } from '../properties/run/target.ts';
import type { Variant } from '../properties/run/target.ts';

export interface Goal {
  readonly name: string;
  readonly variant: Variant;
  /** Signatures not worth stopping for (QEMU 7.2 defects, stored fixtures the trial is not about). */
  readonly known: ReadonlySet<string>;
  /** The classes a trial looks for; it ends when it has met them all. */
  readonly classes: readonly string[];
  /** The class a shrunk finding belongs to, if any. */
  classify(finding: Finding, shrunk: Scenario): Promise<string | undefined>;
}

/** A quirk's finding: the shrunk scenario runs clean on QEMU 7.2's behaviour (model beside it). Stored 7.2 findings are known. */
export async function quirkGoal(quirk: string, store: readonly Fixture[]): Promise<Goal> {
  const known = (await projectKnown(store, PLAIN)).signatures;
  return {
    name: quirk,
    variant: { quirks: [quirk], fixes: [] },
    known,
    classes: [quirk],
    classify: async (_f, shrunk) => ((await checkScenario(shrunk, { variant: PLAIN, graphs: false, check: new ModelTarget() })).kind === 'passes' ? quirk : undefined),
  };
}

/** Whether the fixture's finding is an instance of a known defect class (properties/compare/known-defects.ts
 * KNOWN_BREACHES), which every run counts as known. */
async function knownInstance(f: Fixture): Promise<boolean> {
  const v = await checkScenario(f.scenario, { variant: f.expect.reproduces, graphs: false });
  return v.kind === 'finding' && v.finding.known !== undefined;
}

/** The stored fixtures QEMU 7.2 shows (status qemu-defect), each a class named by its file's number, from an empty store. */
export async function defectGoal(store: readonly Fixture[]): Promise<Goal> {
  const defects = store.filter((f) => f.status === 'qemu-defect' && f.expect.reproduces.quirks.length === 0 && f.expect.reproduces.fixes.length === 0);
  const known = new Set(qemuDefectSignatures());
  const all = await Promise.all(defects.map(async (f) => ({ cls: f.name.slice(0, 4), signature: (await fixtureSignature(f)).signature, instance: await knownInstance(f) })));
  // the listed defects (known-signatures.json) and instances of a known defect class are known even to an empty store:
  // nothing to find
  const signatures = all.filter((s) => !known.has(s.signature) && !s.instance);
  return {
    name: 'QEMU 7.2 defects',
    variant: PLAIN,
    known,
    classes: signatures.map((s) => s.cls),
    classify: (f) => Promise.resolve(signatures.find((s) => sameSignature(s.signature, f.signature))?.cls),
  };
}
