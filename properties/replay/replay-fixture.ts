// Replays a fixture against its expectation: it must reproduce with one configuration and pass with the other,
// the same way each of several runs.
import { sameSignature } from '../signature/signature-form.ts';
import type { Fixture } from '../fixtures/fixture.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import { buildTarget } from '../observe/targets.ts';
import { ModelTarget } from '../run/model-target.ts';
import { checkScenarioForQemu, describeUnsafe } from '../../qemu/sandbox/check-scenario.ts';
import type { SafetyOptions } from '../../qemu/sandbox/check-scenario.ts';
import { KNOWN_72_DEFECT, knownDefectSignature } from '../run/finding.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { PLAIN, variantText } from '../run/target.ts';
import type { Target, TargetName, Variant } from '../run/target.ts';

export type Observation =
  | 'reproduces'
  | 'passes'
  | `shows ${string}`
  | `cannot run: ${string}`
  /** The target lacks a quirk or fix this configuration needs: skipped, not failed. */
  | `not available: ${string}`
  | 'nondeterministic';

export interface ReplayCheck {
  readonly variant: Variant;
  readonly expected: 'reproduces' | 'passes' | 'anything';
  readonly observed: Observation;
}

export type ReplayVerdict =
  | { readonly kind: 'as-expected'; readonly checks: readonly ReplayCheck[] }
  | { readonly kind: 'unexpected'; readonly checks: readonly ReplayCheck[] }
  | { readonly kind: 'not-available'; readonly reason: string }
  /** The fixture would make QEMU reach outside its directory (or use what the tool does not model): never run. */
  | { readonly kind: 'unsafe'; readonly reason: string };

export interface ReplayOptions {
  readonly target: TargetName;
  /** Replay with exactly these quirks/fixes instead of the fixture's two configurations. */
  readonly variant?: Variant;
  readonly runs?: number;
  /** The QEMU build to replay on (`--qemu`, probed); without one, a replay that needs QEMU is not available. */
  readonly qemu?: ProbedBuild;
  /** Send commands QEMU has that the tool does not model (the sandbox still holds). */
  readonly allowUnknownCommands?: boolean;
  /** Progress: run `run` of a configuration is at step `step` of `total`. */
  readonly onStep?: (p: { readonly run: number; readonly step: number; readonly total: number }) => void;
}

export function sameVariant(a: Variant, b: Variant): boolean {
  const key = (v: Variant): string => JSON.stringify([[...v.quirks].sort(), [...v.fixes].sort()]);
  return key(a) === key(b);
}

/** What the impl is compared with: the replay target, or for a disagreement fixture on the impl, what it was found against. */
function secondTarget(f: Fixture, target: TargetName, qemu: ProbedBuild | undefined, safety: SafetyOptions): (() => Target) | undefined {
  const name = target === 'impl' ? f.finding.against : target;
  switch (name) {
    case undefined:
      return undefined;
    case 'model':
      return () => new ModelTarget();
    case 'qemu':
      return qemu ? () => buildTarget(qemu, { safety }) : undefined;
  }
}

async function observeOnce(f: Fixture, variant: Variant, check: (() => Target) | undefined, onStep?: (step: number, total: number) => void): Promise<Observation> {
  const v = await checkScenario(f.scenario, { variant, graphs: false, ...(check ? { check: check() } : {}) }, onStep);
  switch (v.kind) {
    case 'finding':
      return sameSignature(f.finding.signature, v.finding.signature) ? 'reproduces' : `shows ${v.finding.signature}`;
    case 'passes':
      // a fix switch's fixture: the model explained this step as the 7.2 defect the fix removes
      return f.finding.detector === KNOWN_72_DEFECT && v.explained !== undefined && f.finding.signature === knownDefectSignature(v.explained.signature, f.scenario.commands[v.explained.step])
        ? 'reproduces'
        : 'passes';
    case 'cannot-run':
      return `cannot run: ${v.message}`;
  }
}

export async function observe(f: Fixture, variant: Variant, runs: number, check?: () => Target, onStep?: ReplayOptions['onStep']): Promise<Observation> {
  const seen: Observation[] = [];
  for (let i = 0; i < runs; i++) seen.push(await observeOnce(f, variant, check, onStep && ((step, total) => onStep({ run: i, step, total }))));
  const first = seen[0] ?? 'passes';
  return seen.every((o) => o === first) ? first : 'nondeterministic';
}

/** On QEMU the status says what to expect: a 7.2 defect shows there, a quirk's finding does not. */
function expectedOnQemu(f: Fixture): ReplayCheck['expected'] {
  switch (f.status) {
    case 'qemu-defect':
      return 'reproduces';
    case 'quirk':
      return 'passes';
    case 'new':
    case 'unshrunk':
      return 'anything';
  }
}

function expectedFor(f: Fixture, v: Variant): ReplayCheck['expected'] {
  // a finding made on a build may be that build's alone: the impl (7.2) is no judge of it; triage is
  if (f.provenance.target === 'qemu') return 'anything';
  if (sameVariant(v, f.expect.reproduces)) return 'reproduces';
  if (f.expect.passes !== null && sameVariant(v, f.expect.passes)) return 'passes';
  return 'anything';
}

/**
 * On the impl: the fixture's two configurations. On QEMU: the impl as 7.2 beside the daemon, step by step; QEMU shows
 * the finding when it agrees with the impl up to and including the finding's step (a crash where the impl aborts).
 */
export async function replayFixture(f: Fixture, opts: ReplayOptions): Promise<ReplayVerdict> {
  const needsQemu = opts.target === 'qemu' || (opts.target === 'impl' && f.finding.against === 'qemu');
  // unsafe is said first: whether QEMU happens to be here does not make the fixture any safer
  const safety: SafetyOptions = { allowUnknownCommands: opts.allowUnknownCommands === true };
  if (needsQemu) {
    const safe = checkScenarioForQemu(f.scenario, safety);
    if (!safe.ok) return { kind: 'unsafe', reason: describeUnsafe(`${f.name}.json`, safe) };
  }
  if (needsQemu && !opts.qemu) {
    return { kind: 'not-available', reason: 'needs qemu-storage-daemon and qemu-img (--qemu DIR, or apt-get install qemu-system-common qemu-utils)' };
  }
  const runs = opts.runs ?? 3;
  const own = [f.expect.reproduces, ...(f.expect.passes ? [f.expect.passes] : [])];
  // QEMU is 7.2 as it is: no quirks or fixes to switch on its side
  const variants = opts.variant ? [opts.variant] : opts.target === 'qemu' ? [PLAIN] : own;
  const check = secondTarget(f, opts.target, opts.qemu, safety);
  const checks: ReplayCheck[] = [];
  for (const variant of variants) {
    const raw = await observe(f, variant, runs, check, opts.onStep);
    // QEMU has no model beside it: it shows a known 7.2 defect by agreeing with the impl all the way through
    const seen: Observation = opts.target === 'qemu' && f.finding.detector === KNOWN_72_DEFECT && raw === 'passes' ? 'reproduces' : raw;
    const unsupported = seen.startsWith('cannot run: ') && (variant.quirks.length > 0 || variant.fixes.length > 0);
    const observed: Observation = unsupported ? `not available: ${seen.slice('cannot run: '.length)}` : seen;
    checks.push({ variant, expected: opts.target === 'qemu' && !opts.variant ? expectedOnQemu(f) : expectedFor(f, variant), observed });
  }
  const good = checks.every((c) => isSkipped(c) || (c.expected === 'anything' ? isClean(c.observed) : c.observed === c.expected));
  return { kind: good ? 'as-expected' : 'unexpected', checks };
}

export function isSkipped(c: ReplayCheck): boolean {
  return c.observed.startsWith('not available: ');
}

function isClean(o: Observation): boolean {
  return !o.startsWith('cannot run: ') && o !== 'nondeterministic';
}

export function describeCheck(c: ReplayCheck): string {
  const want = c.expected === 'anything' ? '' : ` (expected: ${c.expected})`;
  return `${variantText(c.variant)}: ${c.observed}${want}`;
}

