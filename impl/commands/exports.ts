// nbd-server-start, block-export-add/del: exports are anonymous BlockBackends on a node.
import type { JsonObject } from '../../qmp/types.ts';
import { detachChild, rootAttach } from '../core/attach.ts';
import type { BlockEnv } from '../core/block-env.ts';
import type { Backend } from '../core/graph.ts';
import { lookupBs } from '../core/lookup.ts';
import { ALL_PERMS, minus, permSet } from '../core/perm.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { FILTERED_PRIMARY } from '../core/role.ts';
import { inTransaction } from '../core/transaction.ts';
import { any, bool, enumOf, int, opt, req, str } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

const NBD_SERVER_START = [req('addr', any), opt('tls-creds', str), opt('tls-authz', str), opt('max-connections', int)];
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
  if (!env.nbdServerRunning) return fail('unsupported', 'NBD server not running');
  const writable = args['writable'] === true;
  const perm = writable ? permSet('consistent-read', 'write') : permSet('consistent-read');
  return inTransaction((tx) => {
    const backend: Backend = { id: env.graph.nextId++, name: '', edges: [] };
    const e = rootAttach(env, tx, { kind: 'backend', backend }, found.value, 'root', FILTERED_PRIMARY, perm, minus(ALL_PERMS, permSet('resize')));
    if (!e.ok) return e;
    env.graph.backends.push(backend);
    tx.addUndo(() => env.graph.backends.splice(env.graph.backends.indexOf(backend), 1));
    env.exports.set(id, { id, nodeName, backend, writable });
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
    for (const e of [...exp.backend.edges]) detachChild(env, tx, e);
    const i = env.graph.backends.indexOf(exp.backend);
    if (i >= 0) env.graph.backends.splice(i, 1);
    env.exports.delete(id);
    return { ok: true as const, value: id };
  });
}
