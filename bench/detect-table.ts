// The time-to-detect table: for each quirk and each stored 7.2 defect class, bgcheck against the fast-check
// baseline over seeds 1..n, each trial capped; a seed that does not find a class within the cap counts as beyond it.
import { QUIRKS } from '../impl/behaviour.ts';
import type { Fixture } from '../properties/fixtures/fixture.ts';
import { detectTrial } from './detect.ts';
import type { DetectOptions, Tool, Trial } from './detect.ts';
import { defectGoal, quirkGoal } from './goals.ts';
import type { Goal } from './goals.ts';

export const TOOLS: readonly Tool[] = ['bgcheck', 'baseline'];

export interface ToolCell {
  readonly found: number;
  readonly seeds: number;
  /** Median over the seeds, a seed that missed counting as infinitely slow; null when the median missed. */
  readonly medianSeconds: number | null;
  readonly medianRuns: number | null;
  /** Shrunk lengths of the seeds that found it. */
  readonly lengths: readonly number[];
}

export interface DetectRow {
  readonly goal: string;
  readonly cls: string;
  readonly cells: Readonly<Record<Tool, ToolCell>>;
}

export interface DetectTableOptions extends DetectOptions {
  readonly seeds: number;
  readonly quirks?: readonly string[];
  readonly onTrial?: (goal: string, t: Trial) => void;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Infinity;
}

function cell(trials: readonly Trial[], cls: string): ToolCell {
  const hits = trials.map((t) => t.found.get(cls));
  const ms = median(hits.map((h) => h?.ms ?? Infinity));
  const runs = median(hits.map((h) => h?.runs ?? Infinity));
  return {
    found: hits.filter((h) => h !== undefined).length,
    seeds: trials.length,
    medianSeconds: Number.isFinite(ms) ? Math.round(ms / 100) / 10 : null,
    medianRuns: Number.isFinite(runs) ? runs : null,
    lengths: hits.flatMap((h) => (h ? [h.length] : [])),
  };
}

async function rows(goal: Goal, o: DetectTableOptions): Promise<DetectRow[]> {
  const byTool = new Map<Tool, Trial[]>();
  for (const tool of TOOLS) {
    const trials: Trial[] = [];
    for (let seed = 1; seed <= o.seeds; seed++) {
      const t = await detectTrial(tool, goal, seed, o);
      o.onTrial?.(goal.name, t);
      trials.push(t);
    }
    byTool.set(tool, trials);
  }
  return goal.classes.map((cls) => ({ goal: goal.name, cls, cells: { bgcheck: cell(byTool.get('bgcheck') ?? [], cls), baseline: cell(byTool.get('baseline') ?? [], cls) } }));
}

export async function detectTable(store: readonly Fixture[], o: DetectTableOptions): Promise<DetectRow[]> {
  const out: DetectRow[] = [];
  for (const q of o.quirks ?? QUIRKS) out.push(...(await rows(await quirkGoal(q, store), o)));
  if (o.quirks === undefined) out.push(...(await rows(await defectGoal(store), o)));
  return out;
}

export function detectLines(rs: readonly DetectRow[], capSeconds: number): string[] {
  const show = (c: ToolCell): string =>
    `${c.found}/${c.seeds} | ${c.medianSeconds === null ? `not within ${capSeconds} s` : `${c.medianSeconds} s (${c.medianRuns ?? 0} runs)`} | ${c.lengths.join(', ') || '-'}`;
  return [
    `time to detect, median of ${rs[0]?.cells.bgcheck.seeds ?? 0} seeds, cap ${capSeconds} s of looking each (shrinking not counted):`,
    '| finding | bgcheck found | bgcheck median | shrunk length | baseline found | baseline median | shrunk length |',
    '|---|---|---|---|---|---|---|',
    ...rs.map((r) => `| ${r.goal === r.cls ? r.cls : `7.2 ${r.cls}`} | ${show(r.cells.bgcheck)} | ${show(r.cells.baseline)} |`),
  ];
}
