import { describe, expect, it } from 'vitest';
import { EDGE_PERMS_DIFFER, checkOf, observedFor, rulesKnownFor } from './for-build.ts';
import { OBSERVED } from './index.ts';

describe('perm rules per version', () => {
  it("judges 7.2 builds by 7.2's rules and any other under the check's other name, which triage counts as the same", () => {
    expect(rulesKnownFor('7.2.22')).toBe(true);
    expect(rulesKnownFor('10.0.2')).toBe(false);
    expect(observedFor('7.2.0')).toBe(OBSERVED);
    expect(observedFor('10.0.2').map((i) => i.name)).toEqual(OBSERVED.map((i) => (i.name === 'edge-perms-match-driver-rules' ? EDGE_PERMS_DIFFER : i.name)));
    expect(checkOf(EDGE_PERMS_DIFFER)).toBe('edge-perms-match-driver-rules');
  });
});
