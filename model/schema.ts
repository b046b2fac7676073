// QAPI argument shapes (shape.ts), enough to tell a well-formed command from a malformed one (always invalid-param).
// Drivers' options are in drivers/.
import type { JsonValue } from '../qmp/types.ts';
import { driverOf } from './drivers/index.ts';
import { shape } from './shape.ts';
import type { Members } from './shape.ts';

const ON_ERROR = '(report|ignore|enospc|stop|auto)';
const JOB = 'job-id?:str device:str speed?:int filter-node-name?:str auto-finalize?:bool auto-dismiss?:bool';
const LIMITS = ['iops', 'bps'].flatMap((k) => ['total', 'read', 'write'].map((s) => `${k}-${s}`)).concat('iops-size');
const BLOCKDEV = shape('driver:str node-name?:str discard?:(ignore|unmap) read-only?:bool auto-read-only?:bool force-share?:bool detect-zeroes?:(off|on|unmap)', {
  'cache?': shape('direct?:bool no-flush?:bool'),
});
const verb = (key: 'id' | 'device', more = ''): Members => shape(`${key}:str ${more}`);

/** The commands the model states, with their members; blockdev-add takes BlockdevOptions itself. */
export const COMMANDS = {
  'blockdev-add': 'blockdev',
  'blockdev-reopen': shape('options:blockdev[]'),
  'blockdev-del': shape('node-name:str'),
  block_resize: shape('device?:str node-name?:str size:int'),
  'nbd-server-start': shape('tls-creds?:str tls-authz?:str max-connections?:int', { addr: shape('type:(unix|inet|vsock|fd) data:any') }),
  'block-export-add': shape(
    'type:(nbd|vhost-user-blk|fuse|vduse-blk) id:str node-name:str writable?:bool writethrough?:bool name?:str description?:str ' +
      'iothread?:str fixed-iothread?:bool bitmaps?:any allocation-depth?:bool',
  ),
  'block-export-del': shape('id:str mode?:(safe|hard)'),
  'object-add': shape('qom-type:(throttle-group) id:str', { 'limits?': shape(LIMITS.flatMap((l) => [`${l}?:int`, `${l}-max?:int`, `${l}-max-length?:int`]).join(' ')) }),
  'object-del': shape('id:str'),
  'x-blockdev-change': shape('parent:str child?:str node?:str'),
  'blockdev-snapshot': shape('node:str overlay:str'),
  'block-commit': shape(`${JOB} on-error?:${ON_ERROR} base-node?:str base?:str top-node?:str top?:str backing-file?:str`),
  'block-stream': shape(`${JOB} on-error?:${ON_ERROR} base?:str base-node?:str backing-file?:str bottom?:str`),
  'blockdev-mirror': shape(
    `${JOB} target:str replaces?:str sync:(top|full|none|incremental|bitmap) granularity?:int buf-size?:int ` +
      `on-source-error?:${ON_ERROR} on-target-error?:${ON_ERROR} copy-mode?:(background|write-blocking)`,
  ),
  ...{ 'job-complete': verb('id'), 'job-cancel': verb('id'), 'job-finalize': verb('id'), 'job-dismiss': verb('id'), 'job-pause': verb('id'), 'job-resume': verb('id') },
  ...{ 'block-job-complete': verb('device'), 'block-job-cancel': verb('device', 'force?:bool'), 'block-job-pause': verb('device') },
  ...{ 'block-job-resume': verb('device'), 'block-job-finalize': verb('id'), 'block-job-dismiss': verb('id'), 'block-job-set-speed': verb('device', 'speed:int') },
  ...{ 'query-named-block-nodes': shape('flat?:bool'), 'x-debug-query-block-graph': shape(''), 'query-jobs': shape(''), 'query-block-jobs': shape('') },
} as const satisfies Readonly<Record<string, Members | 'blockdev'>>;

export type CommandName = keyof typeof COMMANDS;
export const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

const isRecord = (v: JsonValue): v is { readonly [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `v` does not fit `ty`, or undefined when it does. */
export function shapeError(v: JsonValue, ty: string | Members, path: string): string | undefined {
  const bad = `Invalid parameter type for '${path}'`;
  if (typeof ty !== 'string') return isRecord(v) ? membersError(v, ty, path) : bad;
  if (ty.endsWith('[]')) return Array.isArray(v) ? (v as readonly JsonValue[]).map((x, i) => shapeError(x, ty.slice(0, -2), `${path}[${i}]`)).find((e) => e !== undefined) : bad;
  if (ty.startsWith('(')) return typeof v === 'string' && ty.slice(1, -1).split('|').includes(v) ? undefined : `Parameter '${path}' does not accept value '${String(v)}'`;
  if (ty === 'ref' || ty === 'ref/null') return typeof v === 'string' || (v === null && ty === 'ref/null') ? undefined : shapeError(v, 'blockdev', path);
  if (ty === 'blockdev') {
    const members = isRecord(v) && typeof v['driver'] === 'string' ? driverOf(v['driver'])?.members : undefined;
    if (!isRecord(v) || members === undefined) return isRecord(v) ? `Parameter '${path === '' ? '' : `${path}.`}driver' is missing or names no known driver` : bad;
    return membersError(v, { ...BLOCKDEV, ...members }, path);
  }
  const fits = ty === 'str' ? typeof v === 'string' : ty === 'int' ? Number.isInteger(v) && Math.abs(v as number) < 2 ** 63 : ty === 'bool' ? typeof v === 'boolean' : ty === 'any';
  return fits ? undefined : bad;
}

function membersError(v: { readonly [k: string]: JsonValue }, members: Members, path: string): string | undefined {
  const at = (k: string): string => (path === '' ? k : `${path}.${k}`);
  for (const [key, ty] of Object.entries(members)) {
    const name = key.replace(/\?$/, '');
    const x = v[name];
    const e = x === undefined ? (key.endsWith('?') ? undefined : `Parameter '${at(name)}' is missing`) : shapeError(x, ty, at(name));
    if (e !== undefined) return e;
  }
  const extra = Object.keys(v).find((k) => !(k in members) && !(`${k}?` in members));
  return extra === undefined ? undefined : `Parameter '${at(extra)}' is unexpected`;
}
