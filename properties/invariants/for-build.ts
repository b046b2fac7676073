// Which observed invariants judge a build of a given version. model/perm-rules.ts states QEMU 7.2's perm rules;
// no other version's are written down, so on any other version an edge that breaks them is reported under its own
// name: the perms differ from 7.2's rules, which may be a fix or a new rule rather than a bug (the impl's corpus
// measured 79 of 20,192 edges differ on 10.0.2). Triage counts either name as the same check.
import { edgePermsMatchDriverRules } from './edge-perms-match-driver-rules.ts';
import { OBSERVED } from './index.ts';
import type { Invariant } from './invariant.ts';

/** The version model/perm-rules.ts states. */
export const PERM_RULES_VERSION = '7.2';

export const EDGE_PERMS_DIFFER = 'edge-perms-differ-from-7.2-rules';

const differFrom72: Invariant = { ...edgePermsMatchDriverRules, name: EDGE_PERMS_DIFFER, source: `${edgePermsMatchDriverRules.source}; rules of QEMU ${PERM_RULES_VERSION}` };

/** Whether the perm rules table is that version's own. */
export function rulesKnownFor(version: string): boolean {
  return version === PERM_RULES_VERSION || version.startsWith(`${PERM_RULES_VERSION}.`);
}

/** The observed invariants for a build of `version` (the impl is 7.2). */
export function observedFor(version: string): readonly Invariant[] {
  return rulesKnownFor(version) ? OBSERVED : OBSERVED.map((i) => (i === edgePermsMatchDriverRules ? differFrom72 : i));
}

/** The check a detector name stands for: both names of the perm-rule check are one check judged on two versions. */
export function checkOf(detector: string): string {
  return detector === EDGE_PERMS_DIFFER ? edgePermsMatchDriverRules.name : detector;
}
