// Reads a JSON file we did not write (a scenario, a fixture someone attached) within bounds: its size, valid UTF-8,
// its nesting, and QEMU's view of its numbers (exact integers, doubles kept as doubles).
import { readFile, stat } from 'node:fs/promises';
import { parseJsonValue } from './json-stream.ts';
import { jsonDepth } from './json-value.ts';
import type { JsonValue } from './types.ts';

/** Fixtures and scenarios are kilobytes; QEMU caps one JSON message at 64 MiB. */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;
/** Commands nest at most QEMU's 1024 levels on the wire; a file wraps them in a few more. */
export const MAX_FILE_NESTING = 1024 + 8;

export type JsonFileResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly error: { readonly code: 'unreadable' | 'invalid-json'; readonly message: string } };

const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function readJsonFile(path: string, source: string): Promise<JsonFileResult> {
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile()) return { ok: false, error: { code: 'unreadable', message: `${source}: not a regular file` } };
    if (st.size > MAX_JSON_FILE_BYTES) return { ok: false, error: { code: 'unreadable', message: `${source}: ${st.size} bytes is more than the ${MAX_JSON_FILE_BYTES} a fixture may have` } };
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, error: { code: 'unreadable', message: `${source}: ${text(e)}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return { ok: false, error: { code: 'invalid-json', message: `${source}: ${e instanceof TypeError ? 'not valid UTF-8' : text(e)}` } };
  }
  const deep = jsonDepth(json, MAX_FILE_NESTING);
  if (deep.depth > MAX_FILE_NESTING) {
    return { ok: false, error: { code: 'invalid-json', message: `${source}: ${short(deep.path)}: nested more than ${MAX_FILE_NESTING} levels deep` } };
  }
  // again, as QEMU reads numbers: JSON.parse rounds integers past 2^53 and cannot tell 1.0 from 1
  const exact = parseJsonValue(bytes, MAX_FILE_NESTING);
  if (!exact.ok) return { ok: false, error: { code: 'invalid-json', message: `${source}: ${exact.message}` } };
  return { ok: true, value: exact.value };
}

/** A path through thousands of levels is unreadable: its start and its end. */
function short(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 60)}...${path.slice(-40)}`;
}
