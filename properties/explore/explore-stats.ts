// What a search saw, per depth and per command kind: plain data, so a checkpoint carries it as it is.
import type { Transition } from './expander.ts';

export interface DepthStats {
  readonly depth: number;
  /** States of the depth before that were expanded to reach this one. */
  expanded: number;
  /** Commands run (every transition is judged, a new state or not). */
  transitions: number;
  ok: number;
  errors: number;
  /** States never seen before (after merging up to renaming). */
  distinct: number;
  /** Transitions that ended on a finding, new or known. */
  findings: number;
}

export interface KindStats {
  transitions: number;
  ok: number;
  errors: number;
  findings: number;
}

export interface ExploreStats {
  readonly depths: DepthStats[];
  readonly kinds: Record<string, KindStats>;
  /** Known signatures met (QEMU 7.2 defects, stored fixtures, this search's own findings met again, model partings). */
  readonly known: Record<string, number>;
}

export function emptyStats(): ExploreStats {
  return { depths: [], kinds: {}, known: {} };
}

export function depthStats(s: ExploreStats, depth: number): DepthStats {
  let d = s.depths.find((x) => x.depth === depth);
  if (d === undefined) {
    d = { depth, expanded: 0, transitions: 0, ok: 0, errors: 0, distinct: 0, findings: 0 };
    s.depths.push(d);
    s.depths.sort((a, b) => a.depth - b.depth);
  }
  return d;
}

export function countTransition(s: ExploreStats, depth: number, t: Transition): void {
  const d = depthStats(s, depth);
  const k = (s.kinds[t.kind] ??= { transitions: 0, ok: 0, errors: 0, findings: 0 });
  d.transitions++;
  k.transitions++;
  if (t.outcome === 'ok') {
    d.ok++;
    k.ok++;
  } else if (t.outcome === 'error') {
    d.errors++;
    k.errors++;
  }
  if (t.finding) {
    d.findings++;
    k.findings++;
  }
}

export function countKnown(s: ExploreStats, signature: string): void {
  s.known[signature] = (s.known[signature] ?? 0) + 1;
}

export function totals(s: ExploreStats): { readonly transitions: number; readonly distinct: number } {
  return {
    transitions: s.depths.reduce((a, d) => a + d.transitions, 0),
    distinct: s.depths.reduce((a, d) => a + d.distinct, 0),
  };
}
