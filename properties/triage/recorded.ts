// What a fixture records for a build's version: that version's verdict, else the newest recorded for the same
// major.minor (a stable branch's point release rarely changes a defect; the report names the version it used).
import type { BuildVerdictKind, Fixture } from '../fixtures/fixture.ts';

export interface Recorded {
  readonly version: string;
  readonly verdict: BuildVerdictKind;
}

const branch = (v: string): string => v.split('.').slice(0, 2).join('.');
const micro = (v: string): number => Number(v.split('.')[2] ?? 0);

export function recordedFor(f: Fixture, version: string): Recorded | undefined {
  const builds = f.expect.builds ?? {};
  const exact = builds[version];
  if (exact !== undefined) return { version, verdict: exact };
  const same = Object.keys(builds).filter((v) => branch(v) === branch(version)).sort((a, b) => micro(b) - micro(a))[0];
  const verdict = same === undefined ? undefined : builds[same];
  return same !== undefined && verdict !== undefined ? { version: same, verdict } : undefined;
}
