// A search's checkpoint: written atomically (temp file, then rename), read back field by field; it belongs to one
// universe (by content), one set of quirks and fixes, and one judge, and resumes nothing else.
import { createHash } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { FieldCheck } from '../fixtures/field-check.ts';
import type { Variant } from '../run/target.ts';
import { findingsOf, frontierOf, statsOf } from './checkpoint-fields.ts';
import type { CheckMode } from './expander.ts';
import type { SearchPoint } from './search.ts';
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
    frontier: frontierOf(c, p['frontier'], 'point.frontier'),
    index: c.int(p['index'], 'point.index', 0),
    next: frontierOf(c, p['next'], 'point.next'),
    seen: new Set(c.strings(p['seen'], 'point.seen')),
    stats: statsOf(c, p['stats'], 'point.stats'),
    findings: findingsOf(c, p['findings'], 'point.findings'),
    known: c.strings(p['known'], 'point.known'),
    elapsedMs: c.int(Math.round(typeof p['elapsedMs'] === 'number' ? p['elapsedMs'] : -1), 'point.elapsedMs', 0),
  };
  if (point.index > point.frontier.length) c.fail(`point.index: ${point.index} is past the frontier (${point.frontier.length} states)`);
  return c.problem === undefined ? { ok: true, point } : { ok: false, message: `${path}: ${c.problem}` };
}
