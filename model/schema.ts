// QAPI argument shapes: enough to tell a well-formed command from a malformed one (always invalid-param).
import type { JsonValue } from '../qmp/types.ts';
import { isObject } from './graph.ts';
import { PERMS } from './perm-set.ts';

/** A member name ending in `?` is optional. */
export interface Members {
  readonly [name: string]: Ty;
}
type Ty = 'str' | 'int' | 'bool' | 'any' | 'ref' | 'ref-or-null' | 'blockdev' | { readonly enum: readonly string[] } | { readonly list: Ty } | { readonly struct: Members };

const oneOf = (...values: string[]): Ty => ({ enum: values });
const ON_ERROR = oneOf('report', 'ignore', 'enospc', 'stop', 'auto');
const JOB: Members = { 'job-id?': 'str', device: 'str', 'speed?': 'int', 'filter-node-name?': 'str', 'auto-finalize?': 'bool', 'auto-dismiss?': 'bool' };
const LIMITS: Members = Object.fromEntries(
  ['iops-total', 'iops-read', 'iops-write', 'bps-total', 'bps-read', 'bps-write', 'iops-size'].flatMap((b) => [`${b}?`, `${b}-max?`, `${b}-max-length?`]).map((k) => [k, 'int']),
);

const BLOCKDEV_BASE: Members = {
  driver: 'str',
  'node-name?': 'str',
  'discard?': oneOf('ignore', 'unmap'),
  'cache?': { struct: { 'direct?': 'bool', 'no-flush?': 'bool' } },
  'read-only?': 'bool',
  'auto-read-only?': 'bool',
  'force-share?': 'bool',
  'detect-zeroes?': oneOf('off', 'on', 'unmap'),
};

/** The BlockdevOptions variants of the drivers the model knows. */
export const DRIVER_MEMBERS: Readonly<Record<string, Members>> = {
  file: { filename: 'str', 'locking?': oneOf('auto', 'on', 'off'), 'aio?': oneOf('threads', 'native', 'io_uring'), 'drop-cache?': 'bool', 'x-check-cache-dropped?': 'bool' },
  'null-co': { 'size?': 'int', 'latency-ns?': 'int', 'read-zeroes?': 'bool' },
  raw: { file: 'ref', 'offset?': 'int', 'size?': 'int' },
  qcow2: { file: 'ref', 'backing?': 'ref-or-null', 'lazy-refcounts?': 'bool', 'cache-size?': 'int', 'l2-cache-size?': 'int', 'overlap-check?': 'any' },
  throttle: { 'throttle-group': 'str', file: 'ref' },
  'copy-on-read': { file: 'ref', 'bottom?': 'str' },
  blkdebug: { image: 'ref', 'config?': 'str', 'align?': 'int', 'take-child-perms?': { list: oneOf(...PERMS) }, 'unshare-child-perms?': { list: oneOf(...PERMS) } },
  blkverify: { test: 'ref', raw: 'ref' },
  quorum: { 'blkverify?': 'bool', children: { list: 'ref' }, 'vote-threshold': 'int', 'rewrite-corrupted?': 'bool', 'read-pattern?': oneOf('quorum', 'fifo') },
};

const verb = (key: string, more: Members = {}): Members => ({ [key]: 'str', ...more });

export const COMMAND_MEMBERS: Readonly<Record<string, Members | 'blockdev'>> = {
  'blockdev-add': 'blockdev',
  'blockdev-reopen': { options: { list: 'blockdev' } },
  'blockdev-del': { 'node-name': 'str' },
  block_resize: { 'device?': 'str', 'node-name?': 'str', size: 'int' },
  'nbd-server-start': { addr: { struct: { type: oneOf('unix', 'inet', 'vsock', 'fd'), data: 'any' } }, 'tls-creds?': 'str', 'tls-authz?': 'str', 'max-connections?': 'int' },
  'block-export-add': {
    type: oneOf('nbd', 'vhost-user-blk', 'fuse', 'vduse-blk'), id: 'str', 'node-name': 'str', 'writable?': 'bool', 'writethrough?': 'bool', 'name?': 'str',
    'description?': 'str', 'iothread?': 'str', 'fixed-iothread?': 'bool', 'bitmaps?': 'any', 'allocation-depth?': 'bool',
  },
  'block-export-del': { id: 'str', 'mode?': oneOf('safe', 'hard') },
  'object-add': { 'qom-type': oneOf('throttle-group'), id: 'str', 'limits?': { struct: LIMITS } },
  'object-del': { id: 'str' },
  'x-blockdev-change': { parent: 'str', 'child?': 'str', 'node?': 'str' },
  'blockdev-snapshot': { node: 'str', overlay: 'str' },
  'block-commit': { ...JOB, 'base-node?': 'str', 'base?': 'str', 'top-node?': 'str', 'top?': 'str', 'backing-file?': 'str', 'on-error?': ON_ERROR },
  'block-stream': { ...JOB, 'base?': 'str', 'base-node?': 'str', 'backing-file?': 'str', 'bottom?': 'str', 'on-error?': ON_ERROR },
  'blockdev-mirror': {
    ...JOB, target: 'str', 'replaces?': 'str', sync: oneOf('top', 'full', 'none', 'incremental', 'bitmap'), 'granularity?': 'int', 'buf-size?': 'int',
    'on-source-error?': ON_ERROR, 'on-target-error?': ON_ERROR, 'copy-mode?': oneOf('background', 'write-blocking'),
  },
  ...Object.fromEntries(['complete', 'cancel', 'finalize', 'dismiss', 'pause', 'resume'].map((v) => [`job-${v}`, verb('id')])),
  'block-job-cancel': verb('device', { 'force?': 'bool' }),
  'block-job-complete': verb('device'),
  'block-job-pause': verb('device'),
  'block-job-resume': verb('device'),
  'block-job-finalize': verb('id'),
  'block-job-dismiss': verb('id'),
  'query-named-block-nodes': { 'flat?': 'bool' },
  'x-debug-query-block-graph': {},
  'query-jobs': {},
};

/** Why `v` does not fit `ty`, or undefined when it does. */
export function shapeError(v: JsonValue, ty: Ty | 'blockdev', path: string): string | undefined {
  const bad = `Invalid parameter type for '${path}'`;
  if (ty === 'str') return typeof v === 'string' ? undefined : bad;
  if (ty === 'int') return Number.isInteger(v) && Math.abs(v as number) < 2 ** 63 ? undefined : bad;
  if (ty === 'bool') return typeof v === 'boolean' ? undefined : bad;
  if (ty === 'any') return undefined;
  if (ty === 'ref' || ty === 'ref-or-null') return typeof v === 'string' || (v === null && ty === 'ref-or-null') ? undefined : shapeError(v, 'blockdev', path);
  if (ty === 'blockdev') {
    if (!isObject(v)) return bad;
    const driver = v['driver'];
    if (typeof driver !== 'string' || DRIVER_MEMBERS[driver] === undefined) return `Parameter '${path === '' ? 'driver' : `${path}.driver`}' is missing or names no known driver`;
    return membersError(v, { ...BLOCKDEV_BASE, ...DRIVER_MEMBERS[driver] }, path);
  }
  if ('enum' in ty) return typeof v === 'string' && ty.enum.includes(v) ? undefined : `Parameter '${path}' does not accept value '${String(v)}'`;
  if ('list' in ty) {
    if (!Array.isArray(v)) return bad;
    return (v as readonly JsonValue[]).map((x, i) => shapeError(x, ty.list, `${path}[${i}]`)).find((e) => e !== undefined);
  }
  return isObject(v) ? membersError(v, ty.struct, path) : bad;
}

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
