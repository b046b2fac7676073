// Switchable behaviours: historical bugs (quirks) and proposed fixes for QEMU 7.2 defects. All off = QEMU 7.2.

export const QUIRKS = [
  'stale-child-options',
  'commit-keeps-base-rw',
  'quorum-is-filter',
  'mirror-allows-loops',
  'first-non-filter-only',
  'mirror-top-loose-perms',
  // before QEMU 5.2 ("Deal with filters"): block status and map follow only backing links (core/served-status.ts)
  'status-stops-at-filters',
] as const;
export type Quirk = (typeof QUIRKS)[number];

export const FIXES = ['mirror-prevent-loops', 'reopen-keeps-frozen-filter', 'stream-drops-job-edges'] as const;
export type Fix = (typeof FIXES)[number];

export interface Behaviour {
  readonly quirks: ReadonlySet<Quirk>;
  readonly fixes: ReadonlySet<Fix>;
}

export const QEMU_7_2: Behaviour = Object.freeze({ quirks: new Set<Quirk>(), fixes: new Set<Fix>() });

export function isQuirk(s: string): s is Quirk {
  return (QUIRKS as readonly string[]).includes(s);
}

export function isFix(s: string): s is Fix {
  return (FIXES as readonly string[]).includes(s);
}

/** Parses CLI/fixture names; an unknown name is an error naming it and the choices. */
export function parseBehaviour(quirks: readonly string[], fixes: readonly string[]): { ok: true; value: Behaviour } | { ok: false; message: string } {
  const badQ = quirks.find((q) => !isQuirk(q));
  if (badQ !== undefined) return { ok: false, message: `unknown quirk '${badQ}' (known: ${QUIRKS.join(', ')})` };
  const badF = fixes.find((f) => !isFix(f));
  if (badF !== undefined) return { ok: false, message: `unknown fix '${badF}' (known: ${FIXES.join(', ')})` };
  return { ok: true, value: { quirks: new Set(quirks.filter(isQuirk)), fixes: new Set(fixes.filter(isFix)) } };
}
