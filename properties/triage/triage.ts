// Every fixture on every build, each alone: its verdict there, and whether that is what the fixture records for
// the build's version. Several daemons at once (the same pool the fuzzer uses).
import { describeIdentity } from '../../qemu/identity.ts';
import type { ProbedBuild } from '../../qemu/identity.ts';
import type { Fixture } from '../fixtures/fixture.ts';
import { observedFor } from '../invariants/for-build.ts';
import { buildTarget, implAsBuild } from '../observe/targets.ts';
import { runPool } from '../fuzz/pool.ts';
import { PLAIN } from '../run/target.ts';
import { expectedOf } from './expected.ts';
import type { Expected } from './expected.ts';
import { recordedFor } from './recorded.ts';
import type { Recorded } from './recorded.ts';
import { ToolHost } from '../../qemu/tool-host.ts';
import { runOnBuild } from './run-on-build.ts';
import { recordable, verdictOf } from './verdict.ts';
import type { BuildVerdict } from './verdict.ts';

export interface TriageCell {
  readonly version: string;
  /** What the build is (`QEMU 10.0.2 (Debian …)`), path-free. */
  readonly build: string;
  /** The column's name: the identity, and where it came from when two builds say the same. */
  readonly label: string;
  readonly verdict: BuildVerdict;
  /** What the fixture records for this version (or its branch), if anything. */
  readonly recorded: Recorded | undefined;
  readonly matches: boolean;
}

export interface TriageRow {
  readonly fixture: Fixture;
  readonly expected: Expected;
  readonly cells: readonly TriageCell[];
}

export interface TriageOptions {
  readonly jobs: number;
  readonly hangMs?: number;
  /** Called after each verdict (progress). */
  readonly onVerdict?: (done: number, total: number) => void;
}

async function judgeOn(f: Fixture, x: Expected, b: ProbedBuild, hangMs: number | undefined, host: ToolHost): Promise<BuildVerdict> {
  if (x.kind === 'unobservable') return verdictOf(x, { kind: 'cannot-run', message: '' });
  const run = await runOnBuild({
    scenario: f.scenario,
    upto: f.finding.step,
    target: () => buildTarget(b, { host, ...(hangMs !== undefined ? { hangMs } : {}) }),
    variant: PLAIN,
    invariants: observedFor(b.identity.version),
    ...(x.kind === 'apart-from-model' ? { sides: { impl: implAsBuild, variant: f.expect.reproduces } } : {}),
    ...(x.kind === 'shows' && x.witness ? { witness: x.witness } : {}),
  });
  return verdictOf(x, run);
}

export async function triage(fixtures: readonly Fixture[], builds: readonly ProbedBuild[], opts: TriageOptions): Promise<TriageRow[]> {
  const expected: Expected[] = [];
  for (const f of fixtures) expected.push(await expectedOf(f));
  const cells = fixtures.map(() => builds.map((): TriageCell | undefined => undefined));
  const total = fixtures.length * builds.length;
  const names = builds.map((b) => describeIdentity(b.identity));
  // two builds of one version (unpatched and patched) are told apart by where they came from
  const labels = builds.map((b, i) => (names.filter((n) => n === names[i]).length > 1 ? `${names[i] ?? ''} [${b.build.from}]` : (names[i] ?? '')));
  let done = 0;
  const host = new ToolHost();
  await runPool(opts.jobs, (n) => n < total, async (n) => {
    const i = Math.floor(n / builds.length);
    const j = n % builds.length;
    const f = fixtures[i];
    const b = builds[j];
    const x = expected[i];
    if (!f || !b || !x) return;
    const verdict = await judgeOn(f, x, b, opts.hangMs, host);
    const recorded = recordedFor(f, b.identity.version);
    const row = cells[i];
    if (row) row[j] = { version: b.identity.version, build: describeIdentity(b.identity), label: labels[j] ?? '', verdict, recorded, matches: recorded === undefined || recorded.verdict === recordable(verdict) };
    opts.onVerdict?.(++done, total);
  }).finally(() => host.close());
  return fixtures.map((fixture, i) => ({ fixture, expected: expected[i] ?? { kind: 'unobservable', why: '' }, cells: (cells[i] ?? []).flatMap((c) => (c ? [c] : [])) }));
}

/** Every verdict is what is recorded for its version, where something is. */
export function allAsRecorded(rows: readonly TriageRow[]): boolean {
  return rows.every((r) => r.cells.every((c) => c.matches && c.verdict.kind !== 'cannot-run'));
}
