// QAPI argument shapes: enough to tell a well-formed command from a malformed one (always invalid-param). Driver
// options live in each driver's record (drivers/); this file has the commands' own members.
import type { JsonValue } from '../qmp/types.ts';
import { driverOf } from './drivers/index.ts';
import { PERMS } from './perm-set.ts';

/** A member name ending in `?` is optional. */
export interface Members {
  readonly [name: string]: Ty;
}
export type Ty = 'str' | 'int' | 'bool' | 'any' | 'ref' | 'ref-or-null' | 'blockdev' | { readonly enum: readonly string[] } | { readonly list: Ty } | { readonly struct: Members };

export const oneOf = (...values: string[]): Ty => ({ enum: values });
export const PERM_LIST: Ty = { list: oneOf(...PERMS) };
const ON_ERROR = oneOf('report', 'ignore', 'enospc', 'stop', 'auto');
const JOB: Members = { 'job-id?': 'str', device: 'str', 'speed?': 'int', 'filter-node-name?': 'str', 'auto-finalize?': 'bool', 'auto-dismiss?': 'bool' };
const LIMIT_KEYS = ['iops-total', 'iops-read', 'iops-write', 'bps-total', 'bps-read', 'bps-write', 'iops-size'];
const LIMITS: Members = Object.fromEntries(LIMIT_KEYS.flatMap((b) => [`${b}?`, `${b}-max?`, `${b}-max-length?`]).map((k) => [k, 'int']));

const BLOCKDEV_BASE: Members = {
  ...{ driver: 'str', 'node-name?': 'str', 'discard?': oneOf('ignore', 'unmap'), 'cache?': { struct: { 'direct?': 'bool', 'no-flush?': 'bool' } } },
  ...{ 'read-only?': 'bool', 'auto-read-only?': 'bool', 'force-share?': 'bool', 'detect-zeroes?': oneOf('off', 'on', 'unmap') },
};

const verb = (key: string, more: Members = {}): Members => ({ [key]: 'str', ...more });
const EXPORT: Members = {
  ...{ type: oneOf('nbd', 'vhost-user-blk', 'fuse', 'vduse-blk'), id: 'str', 'node-name': 'str', 'writable?': 'bool', 'writethrough?': 'bool' },
  ...{ 'name?': 'str', 'description?': 'str', 'iothread?': 'str', 'fixed-iothread?': 'bool', 'bitmaps?': 'any', 'allocation-depth?': 'bool' },
};
const MIRROR: Members = {
  ...{ ...JOB, target: 'str', 'replaces?': 'str', sync: oneOf('top', 'full', 'none', 'incremental', 'bitmap'), 'granularity?': 'int' },
  ...{ 'buf-size?': 'int', 'on-source-error?': ON_ERROR, 'on-target-error?': ON_ERROR, 'copy-mode?': oneOf('background', 'write-blocking') },
};

/** The commands the model states, with their members; blockdev-add takes BlockdevOptions itself. */
export const COMMAND_MEMBERS = {
  'blockdev-add': 'blockdev',
  'blockdev-reopen': { options: { list: 'blockdev' } },
  'blockdev-del': { 'node-name': 'str' },
  block_resize: { 'device?': 'str', 'node-name?': 'str', size: 'int' },
  'nbd-server-start': { addr: { struct: { type: oneOf('unix', 'inet', 'vsock', 'fd'), data: 'any' } }, 'tls-creds?': 'str', 'tls-authz?': 'str', 'max-connections?': 'int' },
  'block-export-add': EXPORT,
  'block-export-del': { id: 'str', 'mode?': oneOf('safe', 'hard') },
  'object-add': { 'qom-type': oneOf('throttle-group'), id: 'str', 'limits?': { struct: LIMITS } },
  'object-del': { id: 'str' },
  'x-blockdev-change': { parent: 'str', 'child?': 'str', 'node?': 'str' },
  'blockdev-snapshot': { node: 'str', overlay: 'str' },
  'block-commit': { ...JOB, 'base-node?': 'str', 'base?': 'str', 'top-node?': 'str', 'top?': 'str', 'backing-file?': 'str', 'on-error?': ON_ERROR },
  'block-stream': { ...JOB, 'base?': 'str', 'base-node?': 'str', 'backing-file?': 'str', 'bottom?': 'str', 'on-error?': ON_ERROR },
  'blockdev-mirror': MIRROR,
  ...{ 'job-complete': verb('id'), 'job-cancel': verb('id'), 'job-finalize': verb('id'), 'job-dismiss': verb('id'), 'job-pause': verb('id'), 'job-resume': verb('id') },
  ...{ 'block-job-cancel': verb('device', { 'force?': 'bool' }), 'block-job-complete': verb('device'), 'block-job-pause': verb('device') },
  ...{ 'block-job-resume': verb('device'), 'block-job-finalize': verb('id'), 'block-job-dismiss': verb('id') },
  'block-job-set-speed': { device: 'str', speed: 'int' },
  'query-named-block-nodes': { 'flat?': 'bool' },
  'query-block-jobs': {},
  'x-debug-query-block-graph': {},
  'query-jobs': {},
} as const satisfies Readonly<Record<string, Members | 'blockdev'>>;

export type CommandName = keyof typeof COMMAND_MEMBERS;
export const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMAND_MEMBERS, name);

/** Why `v` does not fit `ty`, or undefined when it does. */
export function shapeError(v: JsonValue, ty: Ty, path: string): string | undefined {
  const bad = `Invalid parameter type for '${path}'`;
  if (typeof ty === 'string') {
    switch (ty) {
      case 'str':
        return typeof v === 'string' ? undefined : bad;
      case 'int':
        return Number.isInteger(v) && Math.abs(v as number) < 2 ** 63 ? undefined : bad;
      case 'bool':
        return typeof v === 'boolean' ? undefined : bad;
      case 'any':
        return undefined;
      case 'ref':
      case 'ref-or-null':
        return typeof v === 'string' || (v === null && ty === 'ref-or-null') ? undefined : shapeError(v, 'blockdev', path);
      case 'blockdev': {
        if (!isRecord(v)) return bad;
        const members = typeof v['driver'] === 'string' ? driverOf(v['driver'])?.members : undefined;
        if (members === undefined) return `Parameter '${path === '' ? 'driver' : `${path}.driver`}' is missing or names no known driver`;
        return membersError(v, { ...BLOCKDEV_BASE, ...members }, path);
      }
    }
  }
  if ('enum' in ty) return typeof v === 'string' && ty.enum.includes(v) ? undefined : `Parameter '${path}' does not accept value '${String(v)}'`;
  if ('list' in ty) return Array.isArray(v) ? (v as readonly JsonValue[]).map((x, i) => shapeError(x, ty.list, `${path}[${i}]`)).find((e) => e !== undefined) : bad;
  return isRecord(v) ? membersError(v, ty.struct, path) : bad;
}

const isRecord = (v: JsonValue): v is { readonly [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

function membersError(v: { readonly [k: string]: JsonValue }, members: Members, path: string): string | undefined {
  const at = (k: string): string => (path === '' ? k : `${path}.${k}`);
  for (const [key, ty] of Object.entries(members)) {
    const name = key.replace(/\?$/, '');
    const x = v[name];
    if (x === undefined) {
      if (key.endsWith('?')) continue;
      return `Parameter '${at(name)}' is missing`;
    }
    const e = shapeError(x, ty, at(name));
    if (e !== undefined) return e;
  }
  const known = Object.keys(members).map((k) => k.replace(/\?$/, ''));
  const extra = Object.keys(v).find((k) => !known.includes(k));
  return extra === undefined ? undefined : `Parameter '${at(extra)}' is unexpected`;
}
