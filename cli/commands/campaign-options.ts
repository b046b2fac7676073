// The options `fuzz` and `explore` share: the impl's switches, where findings go and which are known, the JSON line.
// Factories, not shared Option objects: each command gets its own (commander keeps parse state in them).
import { Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { IMPL_FIXES, IMPL_QUIRKS } from '../../properties/run/impl-target.ts';
import { collect } from './repeatable.ts';

export const DEFAULT_FIXTURE_DIR = fileURLToPath(new URL('../../shrunk-cases/', import.meta.url));

/** What the shared options put in a command's flags. */
export interface CampaignFlags {
  readonly quirk: string[];
  readonly fix: string[];
  readonly out: string;
  readonly store: string;
  readonly json?: boolean;
  readonly shrinkTime: string;
}

export const quirkOption = (): Option => new Option('--quirk <q>', 'switch on a historical bug in the impl (repeatable)').default([]).argParser(collect);
export const fixOption = (): Option => new Option('--fix <f>', 'switch off a QEMU 7.2 defect in the impl (repeatable)').default([]).argParser(collect);
export const outOption = (): Option => new Option('--out <dir>', 'where new fixtures go').default(DEFAULT_FIXTURE_DIR);
export const storeOption = (): Option => new Option('--store <dir>', "the project's fixtures: known findings, whatever --out is").default(DEFAULT_FIXTURE_DIR);
export const jsonOption = (): Option => new Option('--json', 'end stdout with one JSON line of statistics');
/** `what` the budget is for differs: fuzz shrinks a finding, explore's are shortest already and only checked. */
export const shrinkTimeOption = (what: string): Option => new Option('--shrink-time <seconds>', what).default('30');

/** The usage message for a --quirk or --fix the impl does not have, if one was given. */
export function unknownSwitch(flags: Pick<CampaignFlags, 'quirk' | 'fix'>): string | undefined {
  const unknown = [...flags.quirk.filter((q) => !IMPL_QUIRKS.includes(q)), ...flags.fix.filter((f) => !IMPL_FIXES.includes(f))];
  return unknown.length === 0 ? undefined : `the impl has no quirk or fix '${unknown[0] ?? ''}' (quirks: ${IMPL_QUIRKS.join(', ')}; fixes: ${IMPL_FIXES.join(', ')})`;
}
