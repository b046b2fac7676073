// A scenario file (../shared/scenario-format.md): images to create, then QMP commands to run.
import type { ImageSpec } from './image-spec.ts';
import { parseWrites } from './image-writes.ts';
import { MAX_NESTING } from './json/streamer.ts';
import { isJsonValue, isRecord, jsonDepth } from './json-value.ts';
import type { QmpCommand } from './types.ts';

export interface Scenario {
  readonly description?: string;
  readonly images: readonly ImageSpec[];
  readonly commands: readonly QmpCommand[];
}

export type ParseScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly error: { readonly code: 'invalid-scenario'; readonly message: string } };

// qemu-img accepts cluster sizes that are powers of two from 512 bytes to 2 MiB
const MIN_CLUSTER = 512;
const MAX_CLUSTER = 2 * 1024 * 1024;

/** Validates parsed JSON; a rejection names the source and the field, e.g. `foo.json: commands[3].execute: expected a string`. */
export function parseScenario(json: unknown, source: string): ParseScenarioResult {
  const r = scenarioOf(json);
  return typeof r === 'string' ? { ok: false, error: { code: 'invalid-scenario', message: `${source}: ${r}` } } : { ok: true, scenario: r };
}

function scenarioOf(v: unknown): Scenario | string {
  if (!isRecord(v)) return '(top level): expected an object';
  const extra = unexpected(v, ['description', 'images', 'commands'], '');
  if (extra !== undefined) return extra;
  const { description, images = [], commands } = v;
  if (description !== undefined && typeof description !== 'string') return 'description: expected a string';
  if (!Array.isArray(images)) return 'images: expected a list';
  if (!Array.isArray(commands)) return 'commands: expected a list';
  const specs: ImageSpec[] = [];
  for (const [i, im] of images.entries()) {
    const spec = imageOf(im, `images[${i}]`);
    if (typeof spec === 'string') return spec;
    if (specs.some((s) => s.filename === spec.filename)) return `images[${i}].filename: '${spec.filename}' is listed twice`;
    specs.push(spec);
  }
  const cmds: QmpCommand[] = [];
  for (const [i, c] of commands.entries()) {
    const cmd = commandOf(c, `commands[${i}]`);
    if (typeof cmd === 'string') return cmd;
    cmds.push(cmd);
  }
  return description === undefined ? { images: specs, commands: cmds } : { description, images: specs, commands: cmds };
}

function imageOf(v: unknown, at: string): ImageSpec | string {
  if (!isRecord(v)) return `${at}: expected an object`;
  const extra = unexpected(v, ['filename', 'format', 'size', 'backing', 'backing_fmt', 'cluster_size', 'writes'], `${at}.`);
  if (extra !== undefined) return extra;
  // qmprun.py defaults the format to qcow2
  const { filename, format = 'qcow2', size, backing, backing_fmt, cluster_size, writes } = v;
  if (typeof filename !== 'string') return `${at}.filename: expected a string`;
  // images live in the runner's private directory: no paths out of it
  if (!/^[^/\0]+$/.test(filename) || filename === '.' || filename === '..') return `${at}.filename: expected a plain file name`;
  if (format !== 'qcow2' && format !== 'raw') return `${at}.format: expected 'qcow2' or 'raw'`;
  if (!Number.isSafeInteger(size) || typeof size !== 'number' || size < 0) return `${at}.size: expected a non-negative integer`;
  if (backing !== undefined && (typeof backing !== 'string' || backing === '')) return `${at}.backing: expected a non-empty string`;
  if (backing_fmt !== undefined && backing_fmt !== 'qcow2' && backing_fmt !== 'raw') return `${at}.backing_fmt: expected 'qcow2' or 'raw'`;
  if (backing_fmt !== undefined && backing === undefined) return `${at}.backing_fmt: given without backing`;
  if (cluster_size !== undefined && !isClusterSize(cluster_size)) return `${at}.cluster_size: expected a power of two from 512 to 2097152`;
  // qemu-img create refuses both for raw images
  if (format === 'raw' && backing !== undefined) return `${at}.backing: raw images cannot have a backing file`;
  if (format === 'raw' && cluster_size !== undefined) return `${at}.cluster_size: raw images have no clusters`;
  const written = writes === undefined ? undefined : parseWrites(writes, { at: `${at}.writes`, format, size, clusterSize: typeof cluster_size === 'number' ? cluster_size : undefined });
  if (typeof written === 'string') return written;
  return {
    filename,
    format,
    size,
    ...(typeof backing === 'string' ? { backing } : {}),
    ...(typeof backing_fmt === 'string' ? { backing_fmt } : {}),
    ...(typeof cluster_size === 'number' ? { cluster_size } : {}),
    ...(written !== undefined ? { writes: written } : {}),
  };
}

function commandOf(v: unknown, at: string): QmpCommand | string {
  if (!isRecord(v)) return `${at}: expected an object`;
  const extra = unexpected(v, ['execute', 'arguments', 'id'], `${at}.`);
  if (extra !== undefined) return extra;
  const { execute, arguments: args, id } = v;
  if (typeof execute !== 'string') return `${at}.execute: expected a string`;
  // non-object arguments are kept: QEMU's refusal of them is behaviour worth comparing
  if (args !== undefined && !isJsonValue(args)) return `${at}.arguments: expected a JSON value`;
  if (id !== undefined && !isJsonValue(id)) return `${at}.id: expected a JSON value`;
  // the command on the wire is one more level; QEMU's parser refuses more than 1024
  const deep = jsonDepth({ args, id }, MAX_NESTING);
  if (deep.depth > MAX_NESTING) return `${at}.${deep.path.split(/[.[]/)[0] === 'args' ? 'arguments' : 'id'}: nested deeper than QEMU's JSON limit (${MAX_NESTING} levels)`;
  return { execute, ...(args !== undefined ? { arguments: args } : {}), ...(id !== undefined ? { id } : {}) };
}

function unexpected(v: Readonly<Record<string, unknown>>, allowed: readonly string[], at: string): string | undefined {
  const key = Object.keys(v).find((k) => !allowed.includes(k));
  return key === undefined ? undefined : `${at}${key}: unexpected field`;
}

function isClusterSize(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_CLUSTER && v <= MAX_CLUSTER && (v & (v - 1)) === 0;
}
