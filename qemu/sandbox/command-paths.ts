// Where each command of the vocabulary names a host file (QEMU's QAPI schema), checked to be a plain name in the
// run's directory; names QEMU acts on but the tool does not know are refused unless the user allows them.
import { isRecord } from '../../qmp/json-value.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { isPlainFileName, whyNotPlain } from './plain-name.ts';
import { KNOWN_DRIVERS, KNOWN_EXPORT_TYPES, KNOWN_OBJECT_TYPES, QEMU_NAMES } from './vocabulary.ts';
import type { KnownCommand } from './vocabulary.ts';

export interface UnsafeArgument {
  /** Where, from the command: `arguments.file.filename`. */
  readonly at: string;
  readonly message: string;
}

export class PathCheck {
  readonly problems: UnsafeArgument[] = [];
  constructor(readonly allowUnknown: boolean) {}

  plain(v: JsonValue | undefined, at: string): void {
    if (typeof v === 'string' && !isPlainFileName(v)) this.problems.push({ at, message: whyNotPlain(v) });
  }

  /** A name QEMU acts on that the tool does not model: its effects on the host are unknown to the check. */
  unknown(at: string, what: string): void {
    if (!this.allowUnknown) this.problems.push({ at, message: `${what} is outside the tool's vocabulary (run with --allow-unknown-commands to send it anyway)` });
  }
}

/** Member names QEMU's schema uses for host paths (files, sockets, directories, mount points), anywhere. */
const HOST_PATH_KEYS = new Set(['filename', 'path', 'backing-file', 'config', 'dir', 'logfile', 'mem-path', 'mountpoint', 'snapshot-file', 'dh-cert-file', 'session-file', 'sev-device']);

/** Every object in a JSON tree with its path, without recursion. */
function* objects(v: JsonValue, at: string): Generator<{ readonly obj: JsonObject; readonly at: string }> {
  const todo: { v: JsonValue; at: string }[] = [{ v, at }];
  for (let t = todo.pop(); t !== undefined; t = todo.pop()) {
    const here = t.at;
    if (Array.isArray(t.v)) (t.v as readonly JsonValue[]).forEach((x, i) => todo.push({ v: x, at: `${here}[${i}]` }));
    else if (isRecord(t.v)) {
      const obj = t.v as JsonObject;
      yield { obj, at: here };
      for (const [k, x] of Object.entries(obj)) todo.push({ v: x, at: `${here}.${k}` });
    }
  }
}

/** The conservative rule for what the tool does not model: every host-path member anywhere must be plain. */
export function anyHostPaths(c: PathCheck, v: JsonValue, at: string): void {
  for (const { obj, at: where } of objects(v, at)) {
    for (const k of Object.keys(obj)) if (HOST_PATH_KEYS.has(k)) c.plain(obj[k], `${where}.${k}`);
  }
}

/** BlockdevOptions at any depth (nested children, reopen lists): file names, blkdebug configs, drivers. */
export function blockdevOptions(c: PathCheck, v: JsonValue, at: string): void {
  for (const { obj, at: where } of objects(v, at)) {
    // any `filename`, whatever (if any) driver it is under
    c.plain(obj['filename'], `${where}.filename`);
    const driver = obj['driver'];
    if (typeof driver !== 'string') continue;
    if (driver === 'blkdebug') c.plain(obj['config'], `${where}.config`);
    else if (!KNOWN_DRIVERS.includes(driver) && QEMU_NAMES.drivers.includes(driver)) {
      c.unknown(`${where}.driver`, `driver '${driver}'`);
      anyHostPaths(c, obj, where);
    }
  }
}

/** SocketAddressLegacy (nbd-server-start) or SocketAddress (vhost-user-blk exports): a unix socket in the directory. */
function socketAddress(c: PathCheck, v: JsonValue | undefined, at: string): void {
  if (!isRecord(v)) return;
  const type = v['type'];
  const data = isRecord(v['data']) ? (v['data'] as JsonObject) : (v as JsonObject);
  const dataAt = isRecord(v['data']) ? `${at}.data` : at;
  if (type === 'unix') c.plain(data['path'], `${dataAt}.path`);
  // a TCP or vsock listener or a passed fd reaches past the directory
  else if (typeof type === 'string' && QEMU_NAMES.socketTypes.includes(type)) c.unknown(`${at}.type`, `socket type '${type}'`);
}

type Rule = (c: PathCheck, args: JsonObject) => void;

const NONE: Rule = () => undefined;

const plainMember =
  (...keys: string[]): Rule =>
  (c, args) => {
    for (const k of keys) c.plain(args[k], `arguments.${k}`);
  };

/** One entry per command of the vocabulary: what in its arguments names a host file. */
export const COMMAND_PATHS: Readonly<Record<KnownCommand, Rule>> = {
  qmp_capabilities: NONE,
  quit: NONE,
  'blockdev-add': (c, args) => blockdevOptions(c, args, 'arguments'),
  'blockdev-reopen': (c, args) => blockdevOptions(c, args['options'] ?? [], 'arguments.options'),
  'blockdev-del': NONE,
  block_resize: NONE,
  'object-add': (c, args) => {
    const t = args['qom-type'];
    if (typeof t === 'string' && !KNOWN_OBJECT_TYPES.includes(t) && QEMU_NAMES.objectTypes.includes(t)) {
      c.unknown('arguments.qom-type', `object type '${t}'`);
      // a secret's `file`, a memory backend's `mem-path`, TLS `dir`...
      anyHostPaths(c, args, 'arguments');
      c.plain(args['file'], 'arguments.file');
    }
  },
  'object-del': NONE,
  'nbd-server-start': (c, args) => socketAddress(c, args['addr'], 'arguments.addr'),
  'block-export-add': (c, args) => {
    const t = args['type'];
    if (typeof t === 'string' && !KNOWN_EXPORT_TYPES.includes(t) && QEMU_NAMES.exportTypes.includes(t)) {
      c.unknown('arguments.type', `export type '${t}'`);
      c.plain(args['mountpoint'], 'arguments.mountpoint');
      socketAddress(c, args['addr'], 'arguments.addr');
    }
  },
  'block-export-del': NONE,
  'x-blockdev-change': NONE,
  'query-named-block-nodes': NONE,
  'x-debug-query-block-graph': NONE,
  'query-jobs': NONE,
  'query-block-jobs': NONE,
  // the string written into the overlay's header, opened by name later
  'block-commit': plainMember('backing-file'),
  'block-stream': plainMember('backing-file'),
  'blockdev-mirror': NONE,
  'blockdev-snapshot': NONE,
  'drive-mirror': (c, args) => {
    c.plain(args['target'], 'arguments.target');
    const f = args['format'];
    if (typeof f === 'string' && !KNOWN_DRIVERS.includes(f) && QEMU_NAMES.drivers.includes(f)) c.unknown('arguments.format', `target format '${f}'`);
  },
  'job-complete': NONE,
  'job-cancel': NONE,
  'job-finalize': NONE,
  'job-dismiss': NONE,
  'job-pause': NONE,
  'job-resume': NONE,
  'block-job-complete': NONE,
  'block-job-cancel': NONE,
  'block-job-finalize': NONE,
  'block-job-dismiss': NONE,
  'block-job-pause': NONE,
  'block-job-resume': NONE,
  'block-job-set-speed': NONE,
};
