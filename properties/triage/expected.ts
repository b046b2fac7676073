// What a fixture's finding looks like on a build, so any build can be held against it. The impl is QEMU 7.2 as
// observed: its finding is replayed behind its QMP monitor, seen only as a build is seen, and what shows there at
// the finding's step is what a build must show. A finding against the model (a disagreement, a known 7.2 defect)
// is judged with the model beside the build; an impl-only check needs a witness, or it is not observable.
import type { CrashSite } from '../../qmp/crash.ts';
import { crashSite, siteKey } from '../../qmp/crash.ts';
import type { Fixture } from '../fixtures/fixture.ts';
import { OBSERVED } from '../invariants/index.ts';
import { checkOf } from '../invariants/for-build.ts';
import { implAsBuild } from '../observe/targets.ts';
import { DISAGREEMENT, KNOWN_72_DEFECT, QEMU_ABORT, QEMU_HANG } from '../run/finding.ts';
import type { Finding } from '../run/finding.ts';
import { runOnBuild } from './run-on-build.ts';
import { WITNESSES } from './witnesses.ts';
import type { Witness } from './witnesses.ts';

/** What a build shows when it has the defect. */
export type Shows =
  | { readonly kind: 'crash'; readonly site: string }
  /** A crash at a witness command, of this kind of site (the function may differ from the impl's words). */
  | { readonly kind: 'crash-kind'; readonly site: CrashSite['kind'] }
  | { readonly kind: 'hang' }
  | { readonly kind: 'check'; readonly check: string };

export type Expected =
  /** `signature`: the finding's signature as a build shows it (what the fuzzer counts as known on a build). */
  | { readonly kind: 'shows'; readonly step: number; readonly shows: Shows; readonly signature: string; readonly witness?: Witness }
  /** It parts from the model at this step, as the impl does. */
  | { readonly kind: 'apart-from-model'; readonly step: number }
  | { readonly kind: 'unobservable'; readonly why: string };

/** A finding as what a build shows: a crash by its site, a hang, or the check it breaks. */
export function showsOf(f: Pick<Finding, 'detector' | 'message' | 'crash'>): Shows {
  switch (f.detector) {
    case QEMU_ABORT:
      // a finding made now carries its typed crash; a stored one keeps QEMU's words, read by the one parser
      return { kind: 'crash', site: siteKey(f.crash?.site ?? crashSite(f.message)) };
    case QEMU_HANG:
      return { kind: 'hang' };
    default:
      return { kind: 'check', check: checkOf(f.detector) };
  }
}

export function describeShows(s: Shows): string {
  switch (s.kind) {
    case 'crash':
      return `crash ${s.site}`;
    case 'crash-kind':
      return `crash (${s.site})`;
    case 'hang':
      return 'hang';
    case 'check':
      return s.check;
  }
}

/** A disagreement only in the error code (`…/impl-error[a]-model-error[b]+error[c]`), as `impl a, model b or c`. */
function codesApart(signature: string): string | undefined {
  const m = /\/impl-error\[([^\]]+)\]-model-((?:error\[[^\]]+\]\+?)+)$/.exec(signature);
  const model = m?.[2]?.match(/[^[\]+]+(?=\])/g) ?? [];
  return m === null ? undefined : `impl ${m[1] ?? ''}, model ${model.join(' or ')}`;
}

export async function expectedOf(f: Fixture): Promise<Expected> {
  const step = f.finding.step;
  // found on a build: what it showed there is what it shows
  if (f.provenance.target === 'qemu') return { kind: 'shows', step, shows: showsOf(f.finding), signature: f.finding.signature };
  const spec = { scenario: f.scenario, upto: step, target: implAsBuild, variant: f.expect.reproduces, invariants: OBSERVED };
  if (f.finding.detector === DISAGREEMENT || f.finding.detector === KNOWN_72_DEFECT) {
    // through QMP alone, the impl must still part from the model there (not only in an error code QMP lacks)
    const own = await runOnBuild({ ...spec, sides: { impl: implAsBuild, variant: f.expect.reproduces } });
    // a model that no longer judges the step (it was changed since) has nothing a build could part from
    const unjudged = own.kind === 'sides' ? own.unjudged : undefined;
    if (unjudged !== undefined) return { kind: 'unobservable', why: `the model does not judge step ${step} (${unjudged}): replay it on the impl (bgcheck replay)` };
    if (own.kind === 'sides' && !own.likeModel) return { kind: 'apart-from-model', step };
    const codes = codesApart(f.finding.signature);
    const onlyCode = `both refuse; the finding is only the error code, ${codes ?? ''}, which QMP does not carry: judge it on the impl with bgcheck replay`;
    const shows = own.kind !== 'sides' ? own.kind : codes ? onlyCode : 'it shows what the model shows';
    return { kind: 'unobservable', why: `through QMP the impl does not part from the model at step ${step} (${shows})` };
  }
  const seen = await runOnBuild(spec);
  // the impl's job crash comes one reply late on a build as often as not: the finding's step or the one before
  if (seen.kind === 'finding' && seen.finding.step >= step - 1) return { kind: 'shows', step: seen.finding.step, shows: showsOf(seen.finding), signature: seen.finding.signature };
  const witness = WITNESSES[f.finding.detector];
  if (seen.kind === 'clean' && witness) {
    const w = await runOnBuild({ ...spec, witness });
    if (w.kind === 'finding' && w.finding.step > step) return { kind: 'shows', step: w.finding.step, shows: { kind: 'crash-kind', site: witness.dies }, signature: w.finding.signature, witness };
  }
  const through = seen.kind === 'finding' ? `${describeShows(showsOf(seen.finding))} at step ${seen.finding.step}` : seen.kind === 'cannot-run' ? `cannot run: ${seen.message}` : 'nothing';
  return { kind: 'unobservable', why: `${f.finding.detector} reads the impl's insides; through QMP the impl shows ${through}` };
}

/** Signatures stored fixtures have as a build shows them: not news when fuzzing a build. */
export async function buildSignatures(fixtures: readonly Fixture[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of fixtures) {
    const x = await expectedOf(f);
    if (x.kind === 'shows') out.push(x.signature);
  }
  return out;
}
