// Validates a universe file's JSON field by field; a rejection names the file and the field, like a fixture's.
import { readFile, stat } from 'node:fs/promises';
import { isBlockCommandName } from '../../qmp/command-name.ts';
import { parseScenario } from '../../qmp/scenario.ts';
import { FieldCheck } from '../fixtures/field-check.ts';
import { literalStrings, parseTemplate } from './parse-template.ts';
import { UNIVERSE_FORMAT, WHEN_CONDITIONS } from './universe.ts';
import type { CommandTemplate, Universe } from './universe.ts';

export type ParseUniverseResult =
  | { readonly ok: true; readonly universe: Universe }
  | { readonly ok: false; readonly error: { readonly code: 'invalid-universe' | 'unreadable'; readonly message: string } };

/** A universe is a handful of templates: anything this big is not one. */
const MAX_BYTES = 1 << 20;

/** QEMU's id_wellformed(), which node names, job ids and export ids all pass. */
const WELL_FORMED = /^[A-Za-z][A-Za-z0-9_.-]{0,30}$/;

function pool(c: FieldCheck, v: unknown, at: string, taken: Set<string>): string[] {
  const names = c.strings(v ?? [], at);
  for (const [i, n] of names.entries()) {
    if (!WELL_FORMED.test(n)) c.fail(`${at}[${i}]: '${n}' is not a valid QEMU id (a letter, then letters, digits, '-', '.', '_'; at most 31)`);
    if (taken.has(n)) c.fail(`${at}[${i}]: '${n}' is used twice (names, ids and image files must all differ)`);
    taken.add(n);
  }
  return names;
}

function command(c: FieldCheck, v: unknown, at: string): CommandTemplate {
  const r = c.record(v, at, ['kind', 'when', 'execute', 'arguments']);
  const execute = c.str(r['execute'], `${at}.execute`);
  if (execute !== '' && !isBlockCommandName(execute)) c.fail(`${at}.execute: '${execute}' is no command the impl implements`);
  const kind = r['kind'] === undefined ? execute : c.str(r['kind'], `${at}.kind`);
  const args = parseTemplate(c, r['arguments'] ?? {}, { path: `${at}.arguments`, siblings: [], member: false });
  if (args.t !== 'object') c.fail(`${at}.arguments: expected an object`);
  const when = c.strings(r['when'] ?? [], `${at}.when`).map((w, i) => {
    const known = WHEN_CONDITIONS.find((x) => x === w);
    if (known === undefined) c.fail(`${at}.when[${i}]: unknown condition '${w}' (one of ${WHEN_CONDITIONS.join(', ')})`);
    return known ?? 'nbd-server-running';
  });
  return { kind, when, execute, arguments: args };
}

/** `source` names the file in every message, e.g. `u.json: commands[2].arguments.top-node: unknown placeholder '$nod'`. */
export function parseUniverse(json: unknown, source: string): ParseUniverseResult {
  const c = new FieldCheck();
  const top = c.record(json, '(top level)', ['format', 'name', 'version', 'description', 'images', 'nodeNames', 'jobIds', 'exportIds', 'commands']);
  if (top['format'] !== UNIVERSE_FORMAT) c.fail(`format: expected ${UNIVERSE_FORMAT}`);
  const name = c.str(top['name'], 'name');
  const version = c.str(top['version'], 'version');
  const description = top['description'] === undefined ? '' : c.str(top['description'], 'description', false);
  const sc = parseScenario({ images: top['images'] ?? [], commands: [] }, 'images');
  if (!sc.ok) c.fail(sc.error.message.replace(/^images: /, ''));
  const images = sc.ok ? sc.scenario.images : [];
  const taken = new Set(images.map((i) => i.filename));
  const nodeNames = pool(c, top['nodeNames'], 'nodeNames', taken);
  if (nodeNames.length === 0) c.fail('nodeNames: expected at least one name');
  const jobIds = pool(c, top['jobIds'], 'jobIds', taken);
  const exportIds = pool(c, top['exportIds'], 'exportIds', taken);
  const list = top['commands'];
  if (!Array.isArray(list) || list.length === 0) c.fail('commands: expected a non-empty list');
  const commands = (Array.isArray(list) ? list : []).map((x, i) => command(c, x, `commands[${i}]`));
  // a pool name spelt out in a template treats that name unlike the others: states may then not be merged up to renaming
  const symmetric = !commands.some((t) => literalStrings(t.arguments).some((s) => nodeNames.includes(s)));
  if (c.problem !== undefined) return { ok: false, error: { code: 'invalid-universe', message: `${source}: ${c.problem}` } };
  return { ok: true, universe: { format: UNIVERSE_FORMAT, name, version, description, images, nodeNames, jobIds, exportIds, commands, symmetric } };
}

/** Reads and validates a universe file; an unreadable file or bad JSON is named like a bad field. */
export async function loadUniverse(path: string): Promise<ParseUniverseResult> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_BYTES) return { ok: false, error: { code: 'invalid-universe', message: `${path}: (top level): larger than ${MAX_BYTES} bytes` } };
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, error: { code: 'unreadable', message: `${path}: cannot read it (${e instanceof Error ? e.message : String(e)})` } };
  }
  try {
    return parseUniverse(JSON.parse(text), path);
  } catch (e) {
    return { ok: false, error: { code: 'invalid-universe', message: `${path}: (top level): not JSON (${e instanceof Error ? e.message : String(e)})` } };
  }
}
