import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_PERMS, NO_PERMS, permSet } from '../../qmp/perm-set.ts';
import type { PermSet } from '../../qmp/perm-set.ts';
import { loadFixtureDir } from '../fixtures/load-fixtures.ts';
import type { Fixture } from '../fixtures/fixture.ts';
import { edgePermsMatchDriverRules } from '../invariants/edge-perms-match-driver-rules.ts';
import { EDGE_PERMS_DIFFER } from '../invariants/for-build.ts';
import { SnapshotIndex } from '../invariants/graph-views.ts';
import { CheckSession } from '../run/check-session.ts';
import { isKnownFinding, knownAs } from '../run/finding.ts';
import type { Finding } from '../run/finding.ts';
import { sameSignature } from '../signature/signature-form.ts';
import type { GraphSnapshot, SnapEdge } from '../snapshot.ts';
import { classifyBreach } from './known-defects.ts';
import { staleMovedEdges } from './stale-edge-perms.ts';
import type { GraphStep } from './stale-edge-perms.ts';

const STALE = 'replaced-child-edge-keeps-stale-perms';
const RULE = edgePermsMatchDriverRules.name;
const SHRUNK = join(fileURLToPath(new URL('.', import.meta.url)), '../../shrunk-cases');
/** README's "a node replaced under another parent keeps stale perms" row, and 0044-0056 (the same on other edges). */
const CLASS = ['0008', '0009', '0012', '0019', '0032', '0038', ...Array.from({ length: 13 }, (_, i) => String(44 + i).padStart(4, '0'))];

async function storedFixtures(): Promise<Fixture[]> {
  return (await loadFixtureDir(SHRUNK)).flatMap((r) => (r.ok ? [r.fixture] : []));
}

/** Runs a fixture on the impl as it was found; the graphs around its finding's step, and the finding. */
async function stepOf(f: Fixture): Promise<{ readonly step: GraphStep; readonly finding: Finding | undefined }> {
  const opened = await CheckSession.open(f.scenario.images, { variant: f.expect.reproduces, graphs: false });
  if (!opened.ok) throw new Error(opened.error.message);
  const s = opened.session;
  try {
    for (const cmd of f.scenario.commands) {
      const before = s.snapshot;
      const r = await s.step(cmd);
      if (r.finding) return { step: { before, after: s.snapshot }, finding: r.finding };
    }
    throw new Error(`${f.name} shows no finding`);
  } finally {
    await s.close();
  }
}

const withEdge = (g: GraphSnapshot, key: string, change: (e: SnapEdge) => SnapEdge): GraphSnapshot => ({
  ...g,
  edges: g.edges.map((e) => (e.key === key ? change(e) : e)),
});
const breach = (step: GraphStep): string | undefined => edgePermsMatchDriverRules.kind === 'state' ? edgePermsMatchDriverRules.check(step.after, new SnapshotIndex(step.after))[0]?.key : undefined;
const other = (p: PermSet): PermSet => (p.length === ALL_PERMS.length ? permSet('consistent-read') : ALL_PERMS);

describe('the stale-perms defect is recognised by its mechanism', () => {
  it('every stored fixture of the class is an instance, keeping its own signature; no other stored fixture is', async () => {
    const fixtures = await storedFixtures();
    const recognised: string[] = [];
    for (const f of fixtures.filter((x) => x.finding.detector === RULE)) {
      const { finding } = await stepOf(f);
      expect(finding, f.name).toBeDefined();
      if (!finding) continue;
      // replays as before: the edge-named signature is the fixture's own
      expect(sameSignature(f.finding.signature, finding.signature), f.name).toBe(true);
      if (finding.known === STALE) recognised.push(f.name.slice(0, 4));
      else expect(finding.known, f.name).toBeUndefined();
    }
    expect(recognised).toEqual(CLASS);
    // 0040 is the same defect met by the model comparison, under the one class signature
    expect(fixtures.find((f) => f.name.startsWith('0040'))?.finding.signature).toBe(`known-7.2-defect/blockdev-snapshot/${STALE}`);
  });

  it('names the moved edge that kept its old perms, under either name of the perm-rule check', async () => {
    const f = (await storedFixtures()).find((x) => x.name.startsWith('0044'));
    if (!f) throw new Error('0044 missing');
    const { step, finding } = await stepOf(f);
    expect(staleMovedEdges(step).map((e) => e.key)).toEqual(['node:n22/file']);
    expect(classifyBreach(RULE, step)).toBe(STALE);
    expect(classifyBreach(EDGE_PERMS_DIFFER, step)).toBe(STALE);
    expect(classifyBreach('shared-perms-compatible', step)).toBeUndefined();
    expect(finding && isKnownFinding(finding, () => false)).toBe(true);
    expect(finding && knownAs(finding)).toBe(STALE);
  });

  it('does not hide another mismatch: each loosening of the mechanism is signed as today', async () => {
    const fixtures = await storedFixtures();
    const f44 = fixtures.find((x) => x.name.startsWith('0044'));
    const f08 = fixtures.find((x) => x.name.startsWith('0008'));
    if (!f44 || !f08) throw new Error('0044 or 0008 missing');
    const { step } = await stepOf(f44);
    const moved = 'node:n22/file';
    const unmoved = step.after.edges.find((e) => e.parent.kind === 'node' && e.key !== moved && step.before.edges.some((b) => b.key === e.key && b.child === e.child));
    if (!unmoved) throw new Error('0044 has no unmoved node edge');
    const loosened: Record<string, GraphStep> = {
      // a forged perm on an edge that did not move, beside the stale one
      'forged perm on an unmoved edge': { ...step, after: withEdge(step.after, unmoved.key, (e) => ({ ...e, shared: other(e.shared) })) },
      // the moved edge carries neither what it had nor what the rules give
      'moved edge with neither old nor new perms': { ...step, after: withEdge(step.after, moved, (e) => ({ ...e, shared: NO_PERMS })) },
      // it carried something else before the step: not what it kept
      'moved edge that did not keep its perms': { ...step, before: withEdge(step.before, moved, (e) => ({ ...e, shared: NO_PERMS })) },
      // the same perms on an edge that did not move: not this mechanism
      'stale-looking edge that did not move': { ...step, before: withEdge(step.before, moved, (e) => ({ ...e, child: 'n8', childId: -1 })) },
    };
    for (const [why, s] of Object.entries(loosened)) {
      expect(breach(s), why).toBeDefined();
      expect(staleMovedEdges(s), why).toEqual([]);
      expect(classifyBreach(RULE, s), why).toBeUndefined();
    }
    // 0008: the new overlay's backing edge is refreshed from the stale quorum edge; refreshed from the rules instead,
    // the stale edge no longer explains it
    const s08 = (await stepOf(f08)).step;
    expect(staleMovedEdges(s08).map((e) => e.key)).toEqual(['node:n12/children.0']);
    const below = { ...s08, after: withEdge(s08.after, 'node:n20/backing', (e) => ({ ...e, shared: ALL_PERMS })) };
    expect(breach(below)).toBeDefined();
    expect(classifyBreach(RULE, below)).toBeUndefined();
  });
});
