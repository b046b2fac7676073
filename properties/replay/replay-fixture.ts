// Replays a fixture against its expectation: it must reproduce with one configuration and pass with the other,
// the same way each of several runs.
import type { Fixture } from '../fixtures/fixture.ts';
import { checkScenario } from '../run/run-scenario.ts';
import { variantText } from '../run/target.ts';
import type { TargetName, Variant } from '../run/target.ts';

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
  | { readonly kind: 'not-available'; readonly reason: string };

export interface ReplayOptions {
  readonly target: TargetName;
  /** Replay with exactly these quirks/fixes instead of the fixture's two configurations. */
  readonly variant?: Variant;
  readonly runs?: number;
}

export function sameVariant(a: Variant, b: Variant): boolean {
  const key = (v: Variant): string => JSON.stringify([[...v.quirks].sort(), [...v.fixes].sort()]);
  return key(a) === key(b);
}

async function observeOnce(f: Fixture, variant: Variant): Promise<Observation> {
  const v = await checkScenario(f.scenario, { variant, graphs: false });
  switch (v.kind) {
    case 'finding':
      return v.finding.signature === f.finding.signature ? 'reproduces' : `shows ${v.finding.signature}`;
    case 'passes':
      return 'passes';
    case 'cannot-run':
      return `cannot run: ${v.message}`;
  }
}

export async function observe(f: Fixture, variant: Variant, runs: number): Promise<Observation> {
  const seen: Observation[] = [];
  for (let i = 0; i < runs; i++) seen.push(await observeOnce(f, variant));
  const first = seen[0] ?? 'passes';
  return seen.every((o) => o === first) ? first : 'nondeterministic';
}

function expectedFor(f: Fixture, v: Variant): ReplayCheck['expected'] {
  if (sameVariant(v, f.expect.reproduces)) return 'reproduces';
  if (f.expect.passes !== null && sameVariant(v, f.expect.passes)) return 'passes';
  return 'anything';
}

export async function replayFixture(f: Fixture, opts: ReplayOptions): Promise<ReplayVerdict> {
  if (opts.target !== 'impl') return { kind: 'not-available', reason: `target '${opts.target}' is not available yet` };
  const runs = opts.runs ?? 3;
  const variants = opts.variant ? [opts.variant] : [f.expect.reproduces, ...(f.expect.passes ? [f.expect.passes] : [])];
  const checks: ReplayCheck[] = [];
  for (const variant of variants) {
    const seen = await observe(f, variant, runs);
    const unsupported = seen.startsWith('cannot run: ') && (variant.quirks.length > 0 || variant.fixes.length > 0);
    const observed: Observation = unsupported ? `not available: ${seen.slice('cannot run: '.length)}` : seen;
    checks.push({ variant, expected: expectedFor(f, variant), observed });
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

