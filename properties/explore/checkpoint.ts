// A search's checkpoint: written atomically (temp file, then rename), read back field by field; it belongs to one
// universe (by content), one set of quirks and fixes, and one judge, and resumes nothing else.
import { createHash } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { isJsonValue } from '../../qmp/json-value.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import { FieldCheck } from '../fixtures/field-check.ts';
import type { Variant } from '../run/target.ts';
import type { CheckMode, FrontierState } from './expander.ts';
import type { ExploreStats } from './explore-stats.ts';
import type { SearchPoint } from './search.ts';
import type { StoredFinding } from './store-finding.ts';
import type { Universe } from './universe.ts';

export const CHECKPOINT_FORMAT = 1;

export interface CheckpointFor {
  readonly universe: Universe;
  readonly variant: Variant;
  readonly check: CheckMode;
}

/** The universe as its content: a changed file, even under the same name and version, is another universe. */
export function universeDigest(u: Universe): string {
  return createHash('sha256').update(JSON.stringify(u)).digest('hex');
}

function identity(f: CheckpointFor): string {
  return JSON.stringify({ universe: universeDigest(f.universe), quirks: [...f.variant.quirks].sort(), fixes: [...f.variant.fixes].sort(), check: f.check });
}

export async function writeCheckpoint(path: string, f: CheckpointFor, p: SearchPoint): Promise<void> {
  const body = {
    format: CHECKPOINT_FORMAT,
    of: identity(f),
    universe: `${f.universe.name}@${f.universe.version}`,
    point: { ...p, seen: [...p.seen] },
  };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(body) + '\n', 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export type ReadCheckpoint = { readonly ok: true; readonly point: SearchPoint } | { readonly ok: false; readonly message: string };

function frontier(c: FieldCheck, v: unknown, at: string): FrontierState[] {
  if (!Array.isArray(v)) {
    c.fail(`${at}: expected a list`);
    return [];
  }
  return v.map((x, i) => {
    const r = c.record(x, `${at}[${i}]`, ['path', 'parted']);
    const path = r['path'];
    const ok = Array.isArray(path) && path.every((cmd) => isJsonValue(cmd) && typeof cmd === 'object' && cmd !== null && 'execute' in cmd);
    if (!ok) c.fail(`${at}[${i}].path: expected a list of QMP commands`);
    if (typeof r['parted'] !== 'boolean') c.fail(`${at}[${i}].parted: expected true or false`);
    return { path: ok ? (path as QmpCommand[]) : [], parted: r['parted'] === true };
  });
}

/** Reads a checkpoint for `f`; one written for another universe, variant or judge is refused, saying which. */
export async function readCheckpoint(path: string, f: CheckpointFor): Promise<ReadCheckpoint> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return { ok: false, message: `${path}: cannot read it (${e instanceof Error ? e.message : String(e)})` };
  }
  const c = new FieldCheck();
  const top = c.record(json, '(top level)', ['format', 'of', 'universe', 'point']);
  if (top['format'] !== CHECKPOINT_FORMAT) c.fail(`format: expected ${CHECKPOINT_FORMAT}`);
  if (c.problem === undefined && top['of'] !== identity(f)) {
    c.fail(`of: written for ${String(top['universe'])} with other content, quirks, fixes or --check than this run's`);
  }
  const p = c.record(top['point'], 'point', ['depth', 'frontier', 'index', 'next', 'seen', 'stats', 'findings', 'known', 'elapsedMs']);
  const point: SearchPoint = {
    depth: c.int(p['depth'], 'point.depth', 0),
    frontier: frontier(c, p['frontier'], 'point.frontier'),
    index: c.int(p['index'], 'point.index', 0),
    next: frontier(c, p['next'], 'point.next'),
    seen: new Set(c.strings(p['seen'], 'point.seen')),
    // statistics and stored findings are this tool's own output, read back as written
    stats: (p['stats'] ?? { depths: [], kinds: {}, known: {} }) as ExploreStats,
    findings: (Array.isArray(p['findings']) ? p['findings'] : []) as StoredFinding[],
    known: c.strings(p['known'], 'point.known'),
    elapsedMs: typeof p['elapsedMs'] === 'number' ? p['elapsedMs'] : 0,
  };
  if (point.index > point.frontier.length) c.fail(`point.index: ${point.index} is past the frontier (${point.frontier.length} states)`);
  return c.problem === undefined ? { ok: true, point } : { ok: false, message: `${path}: ${c.problem}` };
}
