// What `bgcheck fuzz` prints at the end: human statistics, then (with --json) one JSON line.
import { relative } from 'node:path';
import type { CampaignReport } from './campaign.ts';

export interface FuzzSummaryJson {
  readonly seed: number;
  /** The QEMU build that ran (`--target qemu` or `--check qemu`), path-free. */
  readonly build?: { readonly version: string; readonly package: string };
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  readonly distinctStates: number;
  readonly maxGraphNodes: number;
  readonly commands: Readonly<Record<string, number>>;
  readonly known: Readonly<Record<string, number>>;
  /** Runs where the model stopped judging, by reason. */
  readonly modelNotJudged: Readonly<Record<string, number>>;
  /** Situations reached (properties/fuzz/reach.ts): in how many runs, after how many steps. */
  readonly reach: Readonly<Record<string, { readonly runs: number; readonly steps: number }>>;
  readonly findings: readonly {
    readonly signature: string;
    readonly invariant: string;
    readonly steps: number;
    readonly file: string;
    readonly run: number;
    readonly foundAfterSeconds: number;
    /** False when the shrink budget ran out before no single removal reproduced. */
    readonly minimal: boolean;
    /** False when a stop cut shrinking short (the fixture's status stays `unshrunk`). */
    readonly shrunk: boolean;
  }[];
  /** The signal that stopped the campaign early, when one did. */
  readonly interrupted?: string;
}

/** Fields that depend on the clock (top level, and in each finding); the rest is the same for the same --seed and --runs. */
export const TIMING_FIELDS = ['seconds', 'stepsPerSecond'] as const;
export const FINDING_TIMING_FIELDS = ['foundAfterSeconds'] as const;

/** Relative to the working directory when the file is below it, else absolute (stable across checkouts). */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

export function summaryJson(seed: number, r: CampaignReport, cwd: string, build?: FuzzSummaryJson['build'], interrupted?: string): FuzzSummaryJson {
  const seconds = r.elapsedMs / 1000;
  return {
    seed,
    ...(build ? { build } : {}),
    runs: r.stats.runs,
    steps: r.stats.steps,
    seconds: Math.round(seconds * 1000) / 1000,
    stepsPerSecond: seconds > 0 ? Math.round(r.stats.steps / seconds) : 0,
    distinctStates: r.stats.distinctStates,
    maxGraphNodes: r.stats.maxNodes,
    commands: r.stats.commandCounts(),
    known: r.stats.knownCounts(),
    modelNotJudged: r.stats.unjudgedCounts(),
    reach: r.stats.reachCounts(),
    findings: r.findings.map((f) => ({
      signature: f.signature,
      invariant: f.invariant,
      steps: f.steps,
      file: displayPath(cwd, f.file),
      run: f.run,
      foundAfterSeconds: Math.round(f.foundAfterMs) / 1000,
      minimal: f.minimal,
      shrunk: f.shrunk,
    })),
    ...(interrupted !== undefined ? { interrupted } : {}),
  };
}

/** Human lines; the timing sits alone on the `time:` line. */
export function summaryLines(s: FuzzSummaryJson, errors: readonly string[]): string[] {
  const width = Math.max(0, ...Object.keys(s.commands).map((k) => k.length));
  const known = Object.entries(s.known);
  const unjudged = Object.entries(s.modelNotJudged);
  return [
    `bgcheck fuzz: seed ${s.seed}, ${s.runs} runs, ${s.steps} steps${s.build ? ` on QEMU ${s.build.version}${s.build.package === '' ? '' : ` (${s.build.package})`}` : ''}`,
    `time: ${s.seconds.toFixed(1)} s, ${s.stepsPerSecond} steps/s`,
    `distinct graph states: ${s.distinctStates}, largest graph: ${s.maxGraphNodes} nodes`,
    'commands per kind:',
    ...Object.entries(s.commands).map(([k, n]) => `  ${k.padEnd(width)}  ${n}`),
    `situations reached (runs/steps): ${Object.entries(s.reach).map(([k, v]) => `${k} ${v.runs}/${v.steps}`).join(', ')}`,
    known.length === 0 ? 'known findings met again: none' : `known findings met again: ${known.map(([k, n]) => `${k} x${n}`).join(', ')}`,
    ...(unjudged.length === 0 ? [] : [`runs the model stopped judging: ${unjudged.map(([k, n]) => `${k} x${n}`).join(', ')}`]),
    s.findings.length === 0 ? 'new findings: none' : `new findings: ${s.findings.length}`,
    ...s.findings.map((f) => `  ${f.signature} (run ${f.run}, ${f.shrunk ? 'shrunk to' : 'stopped before shrinking ended:'} ${f.steps} steps${f.shrunk && !f.minimal ? ', not 1-minimal: the shrink budget ran out' : ''}) -> ${f.file}`),
    ...errors.map((e) => `error: ${e}`),
    ...(s.interrupted !== undefined ? [`stopped early by ${s.interrupted}: findings so far are stored`] : []),
  ];
}
