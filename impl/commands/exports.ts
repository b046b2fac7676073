// nbd-server-start, block-export-add/del: exports are anonymous BlockBackends on a node.
import { insertBackend, releaseBackend } from '../core/block-backend.ts';
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import type { QapiMember } from '../qapi/schema.ts';
import { trySetEdgePerm } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { lookupBs } from '../core/lookup.ts';
import { ALL_PERMS, minus, permSet } from '../../qmp/perm-set.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { inTransaction } from '../core/transaction.ts';
import { any, bool, enumOf, int, opt, req, str, struct } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

/** SocketAddressLegacy: a union keyed by `type`, its members wrapped in `data`. */
const SOCKET_DATA: Readonly<Record<string, readonly QapiMember[]>> = {
  unix: [req('path', str), opt('abstract', bool), opt('tight', bool)],
  inet: [req('host', str), req('port', str), opt('numeric', bool), opt('to', int), opt('ipv4', bool), opt('ipv6', bool), opt('keep-alive', bool), opt('mptcp', bool)],
  vsock: [req('cid', str), req('port', str)],
  fd: [req('str', str)],
};
const ADDR_BASE = [req('type', enumOf(...Object.keys(SOCKET_DATA)))];
const NBD_SERVER_START = [req('addr', any), opt('tls-creds', str), opt('tls-authz', str), opt('max-connections', int)];

function checkAddr(addr: JsonValue): Result<void> {
  if (typeof addr !== 'object' || addr === null || Array.isArray(addr)) {
    return fail('invalid-param', "Invalid parameter type for 'addr', expected: object");
  }
  const a = addr as JsonObject;
  const base = qapi.visitMembers(a, ADDR_BASE, 'addr');
  if (!base.ok) return base;
  const members = [...ADDR_BASE, req('data', struct(...(SOCKET_DATA[String(a['type'])] ?? [])))];
  return qapi.visitStruct(a, members, 'addr');
}
const EXPORT_ADD = [
  req('type', enumOf('nbd', 'vhost-user-blk', 'fuse', 'vduse-blk')),
  req('id', str),
  opt('fixed-iothread', bool),
  opt('iothread', str),
  req('node-name', str),
  opt('writable', bool),
  opt('writethrough', bool),
  opt('name', str),
  opt('description', str),
  opt('bitmaps', any),
  opt('allocation-depth', bool),
];

export function nbdServerStart(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, NBD_SERVER_START, '');
  if (!v.ok) return v;
  const a = checkAddr(args['addr'] ?? null);
  if (!a.ok) return a;
  if (env.nbdServerRunning) return fail('in-use', 'NBD server already running');
  env.nbdServerRunning = true;
  return OK;
}

export function blockExportAdd(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, EXPORT_ADD, '');
  if (!v.ok) return v;
  if (args['type'] !== 'nbd') return fail('unsupported', `Export type '${String(args['type'])}' is not supported by bgcheck`);
  const id = String(args['id']);
  if (env.exports.has(id)) return fail('duplicate', `Block export id '${id}' is already in use`);
  const nodeName = String(args['node-name']);
  const found = lookupBs(env, undefined, nodeName);
  if (!found.ok) return found;
  const writable = args['writable'] === true;
  if (writable && found.value.readOnly) return fail('read-only', 'Cannot export read-only node as writable');
  const perm = writable ? permSet('consistent-read', 'write') : permSet('consistent-read');
  return inTransaction((tx) => {
    // blk_new shares everything; the NBD export narrows it afterwards, so conflicts surface in two phases.
    const inserted = insertBackend(env, tx, found.value, perm, ALL_PERMS);
    if (!inserted.ok) return inserted;
    const backend = inserted.value;
    const root = backend.edges[0];
    if (!root) return fail('in-use', 'BlockBackend has no root');
    if (!env.nbdServerRunning) return fail('not-found', 'NBD server not running');
    const exportName = typeof args['name'] === 'string' ? args['name'] : nodeName;
    if ([...env.exports.values()].some((x) => x.name === exportName)) {
      return fail('duplicate', `NBD server already has export named '${exportName}'`);
    }
    const narrowed = trySetEdgePerm(env, tx, root, perm, minus(ALL_PERMS, permSet('resize')));
    if (!narrowed.ok) return narrowed;
    env.exports.set(id, { id, name: exportName, nodeName, backend, writable });
    tx.addUndo(() => env.exports.delete(id));
    return OK;
  });
}

export function blockExportDel(env: BlockEnv, args: JsonObject): Result<string> {
  const v = qapi.visitStruct(args, [req('id', str), opt('mode', enumOf('safe', 'hard'))], '');
  if (!v.ok) return v;
  const id = String(args['id']);
  const exp = env.exports.get(id);
  if (!exp) return fail('not-found', `Export '${id}' is not found`);
  return inTransaction((tx) => {
    releaseBackend(env, tx, exp.backend);
    env.exports.delete(id);
    tx.addUndo(() => env.exports.set(id, exp));
    return { ok: true as const, value: id };
  });
}
