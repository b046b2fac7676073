// What `bgcheck explore` prints at the end: statistics per depth and per command kind, then (--json) one JSON line.
import { relative } from 'node:path';
import { totals } from './explore-stats.ts';
import type { DepthStats, KindStats } from './explore-stats.ts';
import type { SearchEnd, SearchResult } from './search.ts';
import type { Universe } from './universe.ts';

export interface ExploreSummaryJson {
  readonly universe: string;
  readonly depth: number;
  readonly end: SearchEnd;
  readonly workers: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  readonly transitions: number;
  /** States told apart, the empty graph included. */
  readonly distinctStates: number;
  /** Transitions per distinct new state: what deduplication saved. */
  readonly dedupRatio: number;
  readonly renaming: boolean;
  readonly depths: readonly DepthStats[];
  readonly kinds: Readonly<Record<string, KindStats>>;
  readonly known: Readonly<Record<string, number>>;
  readonly findings: readonly { readonly signature: string; readonly depth: number; readonly steps: number; readonly shortest: boolean; readonly minimal: boolean; readonly file: string }[];
}

/** Fields that depend on the clock; everything else is the same for the same universe, depth and switches. */
export const EXPLORE_TIMING_FIELDS = ['seconds', 'transitionsPerSecond'] as const;

const sorted = <T>(r: Readonly<Record<string, T>>): Record<string, T> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function exploreSummary(u: Universe, r: SearchResult, workers: number, cwd: string): ExploreSummaryJson {
  const p = r.point;
  const t = totals(p.stats);
  const seconds = p.elapsedMs / 1000;
  return {
    universe: `${u.name}@${u.version}`,
    depth: p.depth,
    end: r.end,
    workers,
    seconds: Math.round(seconds * 10) / 10,
    transitionsPerSecond: seconds > 0 ? Math.round(t.transitions / seconds) : 0,
    transitions: t.transitions,
    distinctStates: p.seen.size,
    dedupRatio: t.distinct > 0 ? Math.round((100 * t.transitions) / t.distinct) / 100 : 0,
    renaming: u.symmetric,
    depths: p.stats.depths,
    kinds: sorted(p.stats.kinds),
    known: sorted(p.stats.known),
    findings: p.findings.map((f) => {
      const rel = relative(cwd, f.file);
      return { signature: f.signature, depth: f.depth, steps: f.steps, shortest: f.shortest, minimal: f.minimal, file: rel.startsWith('..') ? f.file : rel };
    }),
  };
}

const END_TEXT: Readonly<Record<SearchEnd, string>> = {
  complete: 'every sequence explored',
  found: 'stopped after the depth of the first new finding (--until-found)',
  exhausted: 'no state left to expand',
  failed: 'stopped: a state could not be expanded',
};

function table(rows: readonly (readonly (string | number)[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ').trimEnd());
}

export function exploreLines(s: ExploreSummaryJson, errors: readonly string[]): string[] {
  const known = Object.entries(s.known);
  return [
    `bgcheck explore: universe ${s.universe}, depth ${s.depth}: ${END_TEXT[s.end]}`,
    `time: ${s.seconds.toFixed(1)} s, ${s.transitionsPerSecond} transitions/s, ${s.workers} worker${s.workers === 1 ? '' : 's'}`,
    `distinct states: ${s.distinctStates} (${s.transitions} transitions, ${s.dedupRatio} per new state; merged up to renaming: ${s.renaming ? 'yes' : 'no'})`,
    ...table([['depth', 'expanded', 'transitions', 'ok', 'errors', 'distinct', 'findings'], ...s.depths.map((d) => [d.depth, d.expanded, d.transitions, d.ok, d.errors, d.distinct, d.findings])]),
    'transitions per kind:',
    ...table([['  kind', 'transitions', 'ok', 'errors', 'findings'], ...Object.entries(s.kinds).map(([k, v]) => [`  ${k}`, v.transitions, v.ok, v.errors, v.findings])]),
    known.length === 0 ? 'known findings met: none' : `known findings met: ${known.map(([k, n]) => `${k} x${n}`).join(', ')}`,
    s.findings.length === 0 ? 'new findings: none' : `new findings: ${s.findings.length}`,
    ...s.findings.map((f) => `  ${f.signature} (depth ${f.depth}${f.shortest ? '' : `, shrunk to ${f.steps}`}${f.minimal ? '' : ', not shown 1-minimal'}) -> ${f.file}`),
    ...errors.map((e) => `error: ${e}`),
  ];
}
