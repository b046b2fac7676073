// Reads the parts of a checkpoint back field by field: the frontier's command paths, statistics, stored findings.
import { isJsonValue, isRecord } from '../../qmp/json-value.ts';
import type { QmpCommand } from '../../qmp/types.ts';
import type { FieldCheck } from '../fixtures/field-check.ts';
import type { FrontierState } from './expander.ts';
import type { DepthStats, ExploreStats, KindStats } from './explore-stats.ts';
import type { StoredFinding } from './store-finding.ts';

function list(c: FieldCheck, v: unknown, at: string): readonly unknown[] {
  if (Array.isArray(v)) return v;
  c.fail(`${at}: expected a list`);
  return [];
}

function command(c: FieldCheck, v: unknown, at: string): QmpCommand {
  const r = c.record(v, at, ['execute', 'arguments']);
  const execute = c.str(r['execute'], `${at}.execute`);
  const args = r['arguments'];
  if (args !== undefined && !isJsonValue(args)) c.fail(`${at}.arguments: expected a JSON value`);
  return args !== undefined && isJsonValue(args) ? { execute, arguments: args } : { execute };
}

export function frontierOf(c: FieldCheck, v: unknown, at: string): FrontierState[] {
  return list(c, v, at).map((x, i) => {
    const r = c.record(x, `${at}[${i}]`, ['path', 'parted']);
    const path = list(c, r['path'], `${at}[${i}].path`).map((cmd, j) => command(c, cmd, `${at}[${i}].path[${j}]`));
    if (typeof r['parted'] !== 'boolean') c.fail(`${at}[${i}].parted: expected true or false`);
    return { path, parted: r['parted'] === true };
  });
}

function counts<K extends string>(c: FieldCheck, v: unknown, at: string, keys: readonly K[]): Record<K, number> {
  const r = c.record(v, at, keys);
  return Object.fromEntries(keys.map((k) => [k, c.int(r[k], `${at}.${k}`, 0)])) as Record<K, number>;
}

const DEPTH_KEYS = ['depth', 'expanded', 'transitions', 'ok', 'errors', 'distinct', 'findings'] as const;
const KIND_KEYS = ['transitions', 'ok', 'errors', 'findings'] as const;

export function statsOf(c: FieldCheck, v: unknown, at: string): ExploreStats {
  const r = c.record(v, at, ['depths', 'kinds', 'known']);
  const depths: DepthStats[] = list(c, r['depths'], `${at}.depths`).map((d, i) => counts(c, d, `${at}.depths[${i}]`, DEPTH_KEYS));
  const kinds: Record<string, KindStats> = {};
  for (const [k, x] of Object.entries(isRecord(r['kinds']) ? r['kinds'] : {})) kinds[k] = counts(c, x, `${at}.kinds.${k}`, KIND_KEYS);
  const known: Record<string, number> = {};
  for (const [k, x] of Object.entries(isRecord(r['known']) ? r['known'] : {})) known[k] = c.int(x, `${at}.known.${k}`, 0);
  return { depths, kinds, known };
}

export function findingsOf(c: FieldCheck, v: unknown, at: string): StoredFinding[] {
  return list(c, v, at).map((x, i) => {
    const f = `${at}[${i}]`;
    const r = c.record(x, f, ['signature', 'detector', 'message', 'depth', 'steps', 'shortest', 'minimal', 'file']);
    const flag = (k: string): boolean => {
      if (typeof r[k] !== 'boolean') c.fail(`${f}.${k}: expected true or false`);
      return r[k] === true;
    };
    return {
      signature: c.str(r['signature'], `${f}.signature`),
      detector: c.str(r['detector'], `${f}.detector`),
      message: c.str(r['message'], `${f}.message`, false),
      depth: c.int(r['depth'], `${f}.depth`, 1),
      steps: c.int(r['steps'], `${f}.steps`, 1),
      shortest: flag('shortest'),
      minimal: flag('minimal'),
      file: c.str(r['file'], `${f}.file`),
    };
  });
}
