// Breadth-first search over every command sequence of a universe from the empty graph: each depth's frontier is
// expanded in batches (in this thread or on workers), merged in frontier order, states deduplicated by fingerprint.
import type { ExpandPool } from './expand-pool.ts';
import type { Expansion, ExploreJob, FrontierState } from './expander.ts';
import { countKnown, countTransition, depthStats, emptyStats, totals } from './explore-stats.ts';
import type { ExploreStats } from './explore-stats.ts';
import { isKnownFinding, knownAs } from '../run/finding.ts';
import type { NewFinding, StoredFinding } from './store-finding.ts';

/** Where a search stands: everything a checkpoint holds, and all a resumed search needs. */
export interface SearchPoint {
  /** The depth of the frontier states; their children are at depth + 1. */
  depth: number;
  frontier: FrontierState[];
  /** Frontier states merged so far. */
  index: number;
  next: FrontierState[];
  readonly seen: Set<string>;
  readonly stats: ExploreStats;
  readonly findings: StoredFinding[];
  /** Signatures that were not news when the search began (a resumed one keeps them). */
  readonly known: readonly string[];
  /** Time spent before this run (a resumed search adds its own). */
  elapsedMs: number;
}

export interface SearchProgress {
  /** The depth being reached (its parents are being expanded), or just reached when `finished`. */
  readonly depth: number;
  readonly finished: boolean;
  readonly done: number;
  readonly of: number;
  readonly distinct: number;
  readonly transitions: number;
  readonly findings: number;
  readonly elapsedMs: number;
}

export interface SearchOptions {
  readonly job: ExploreJob;
  readonly depth: number;
  readonly pool: ExpandPool;
  readonly store: (f: NewFinding) => Promise<StoredFinding>;
  /** Stop after the first depth with a new finding (that depth is still finished, so results stay deterministic). */
  readonly untilFound: boolean;
  /** Called after every merged batch with the point reached (checkpoints, progress). */
  readonly onBatch?: (p: SearchPoint, progress: SearchProgress) => Promise<void>;
  readonly now?: () => number;
}

export type SearchEnd = 'complete' | 'found' | 'exhausted' | 'failed';

export interface SearchResult {
  readonly point: SearchPoint;
  /** complete: every depth up to the asked one; found: stopped after a depth with a new finding; exhausted: no state
   * left; failed: a state could not be expanded (errors say why). */
  readonly end: SearchEnd;
  readonly errors: readonly string[];
}

/** States per batch sent to a worker: small enough to keep every worker busy until the end of a depth. */
const BATCH = 8;

export async function startPoint(pool: ExpandPool, known: readonly string[]): Promise<SearchPoint | string> {
  const root: FrontierState = { path: [], parted: false };
  const fp = await pool.fingerprint(root);
  if (typeof fp !== 'string') return fp.error;
  return { depth: 0, frontier: [root], index: 0, next: [], seen: new Set([fp]), stats: emptyStats(), findings: [], known, elapsedMs: 0 };
}

/** A pool that fails (a worker died) fails every state of the batch, in order, instead of throwing out of order. */
function expandSafely(pool: ExpandPool, states: readonly FrontierState[]): Promise<Expansion[]> {
  return pool.expand(states).catch((e: unknown) => states.map((): Expansion => ({ ok: false, message: e instanceof Error ? e.message : String(e) })));
}

async function merge(p: SearchPoint, parent: FrontierState, e: Expansion, opts: SearchOptions, known: ReadonlySet<string>): Promise<string | undefined> {
  if (!e.ok) return e.message;
  const depth = p.depth + 1;
  depthStats(p.stats, depth).expanded++;
  for (const t of e.transitions) {
    countTransition(p.stats, depth, t);
    if (t.explained !== undefined) countKnown(p.stats, t.explained);
    const path = [...parent.path, t.command];
    if (t.finding) {
      const sig = t.finding.signature;
      if (isKnownFinding(t.finding, (s) => known.has(s)) || p.findings.some((f) => f.signature === sig)) countKnown(p.stats, knownAs(t.finding));
      else p.findings.push(await opts.store({ finding: t.finding, scenario: { images: opts.job.universe.images, commands: path } }));
      continue;
    }
    if (!t.child || p.seen.has(t.child.fingerprint)) continue;
    p.seen.add(t.child.fingerprint);
    depthStats(p.stats, depth).distinct++;
    p.next.push({ path, parted: t.child.parted });
  }
  return undefined;
}

export async function search(start: SearchPoint, opts: SearchOptions): Promise<SearchResult> {
  const now = opts.now ?? (() => performance.now());
  const began = now();
  const base = start.elapsedMs;
  const p = start;
  const known = new Set(p.known);
  const errors: string[] = [];
  const progress = (finished = false): SearchProgress => ({
    depth: finished ? p.depth : p.depth + 1,
    finished,
    done: p.index,
    of: p.frontier.length,
    distinct: p.seen.size,
    transitions: totals(p.stats).transitions,
    findings: p.findings.length,
    elapsedMs: base + now() - began,
  });
  while (p.depth < opts.depth && p.frontier.length > 0) {
    const foundBefore = p.findings.length;
    const batches: { readonly from: number; readonly states: readonly FrontierState[] }[] = [];
    for (let i = p.index; i < p.frontier.length; i += BATCH) batches.push({ from: i, states: p.frontier.slice(i, i + BATCH) });
    // a few batches in flight per worker, merged strictly in order
    const inFlight: Promise<Expansion[]>[] = [];
    const window = opts.pool.parallel * 2;
    const send = (states: readonly FrontierState[]): void => void inFlight.push(expandSafely(opts.pool, states));
    for (let b = 0; b < Math.min(window, batches.length); b++) send(batches[b]?.states ?? []);
    for (let b = 0; b < batches.length; b++) {
      const results = await (inFlight[b] ?? Promise.resolve([]));
      const ahead = batches[b + window];
      if (ahead) send(ahead.states);
      const batch = batches[b];
      for (const [i, e] of results.entries()) {
        const parent = batch?.states[i];
        const err = parent ? await merge(p, parent, e, opts, known) : 'a worker returned more results than states';
        if (err !== undefined) errors.push(err);
      }
      p.index = (batch?.from ?? 0) + (batch?.states.length ?? 0);
      p.elapsedMs = base + now() - began;
      await opts.onBatch?.(p, progress());
      if (errors.length > 0) return { point: p, end: 'failed', errors };
    }
    const expanded = p.frontier.length;
    p.depth++;
    p.frontier = p.next;
    p.next = [];
    p.index = 0;
    p.elapsedMs = base + now() - began;
    await opts.onBatch?.(p, { ...progress(true), done: expanded, of: expanded });
    if (opts.untilFound && p.findings.length > foundBefore) return { point: p, end: 'found', errors };
  }
  return { point: p, end: p.frontier.length === 0 && p.depth < opts.depth ? 'exhausted' : 'complete', errors };
}
