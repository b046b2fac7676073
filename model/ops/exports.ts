// nbd-server-start, block-export-add/del (anonymous BlockBackends) and throttle-group objects.
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, dropOrphans, removeBackends } from '../edit.ts';
import { isId, isObject, lookup, num, str } from '../graph.ts';
import { ALL, minusOf, permSetOf } from '../perm-set.ts';
import { OK, fail, seq } from '../result.ts';
import type { Result } from '../result.ts';
import { shapeError } from '../schema.ts';
import { shape } from '../shape.ts';

const SOCKET = { unix: 'path:str abstract?:bool tight?:bool', inet: 'host:str port:str numeric?:bool to?:int ipv4?:bool ipv6?:bool keep-alive?:bool mptcp?:bool' };
const ADDRESS: Readonly<Record<string, string>> = { ...SOCKET, vsock: 'cid:str port:str', fd: 'str:str' };

export function nbdServerStart(d: Draft, args: JsonObject): Result {
  const addr = isObject(args['addr']) ? args['addr'] : {};
  const bad = shapeError(addr['data'] ?? null, shape(ADDRESS[String(addr['type'])] ?? ''), 'addr.data');
  if (bad !== undefined || d.nbd) return bad !== undefined ? fail('invalid-param', bad) : fail('in-use', 'NBD server already running');
  d.nbd = true;
  return OK;
}

/** An NBD export: R (and W if writable); it shares everything at attach, then narrows to all but resize. */
export function blockExportAdd(d: Draft, args: JsonObject): Result {
  const id = str(args, 'id') ?? '';
  if (args['type'] !== 'nbd') return fail('unsupported', `Export type '${String(args['type'])}' is not modelled`);
  if (d.exports.some((e) => e.id === id)) return fail('duplicate', `Block export id '${id}' is already in use`);
  const n = lookup(d, str(args, 'node-name'), '');
  if (!n.ok) return n;
  const writable = args['writable'] === true;
  if (writable && n.value.readOnly) return fail('read-only', 'Cannot export read-only node as writable');
  const bb = addBackend(d, n.value.name, permSetOf('consistent-read', ...(writable ? (['write'] as const) : [])), ALL);
  const name = str(args, 'name') ?? n.value.name;
  return seq(
    () => checkGraph(d, [n.value.name]),
    () => (d.nbd ? OK : fail('not-found', 'NBD server not running')),
    () => (d.exports.some((e) => e.name === name) ? fail('duplicate', `NBD server already has export named '${name}'`) : OK),
    () => {
      d.bbs = d.bbs.map((b) => (b.id === bb ? { ...b, shared: minusOf(ALL, permSetOf('resize')) } : b));
      d.exports.push({ id, name, bb });
      return checkGraph(d, [n.value.name]);
    },
  );
}

export function blockExportDel(d: Draft, args: JsonObject): Result {
  const e = d.exports.find((x) => x.id === args['id']);
  if (!e) return fail('not-found', `Export '${String(args['id'])}' is not found`);
  removeBackends(d, [e.bb]);
  d.exports = d.exports.filter((x) => x !== e);
  dropOrphans(d);
  return OK;
}

/** throttle_is_valid: totals exclude read/write splits, values stay in range, a burst needs and exceeds its rate. */
function checkLimits(l: JsonObject): Result {
  const v = (k: string): number => num(l, k) ?? 0;
  for (const [kind, sfx] of ['bps', 'iops'].flatMap((k) => [[k, ''], [k, '-max']] as const)) {
    if (v(`${kind}-total${sfx}`) && (v(`${kind}-read${sfx}`) || v(`${kind}-write${sfx}`))) return fail('invalid-param', `${kind}-total${sfx} cannot be combined with read/write limits`);
  }
  for (const [avg, max] of ['bps', 'iops'].flatMap((k) => ['total', 'read', 'write'].map((x) => [v(`${k}-${x}`), v(`${k}-${x}-max`)]))) {
    if (Math.min(avg ?? 0, max ?? 0) < 0 || Math.max(avg ?? 0, max ?? 0) > 1e15) return fail('invalid-param', 'bps/iops/max values must be within [0, 1000000000000000]');
    if (max && (!avg || max < avg)) return fail('invalid-param', !avg ? 'bps_max/iops_max require corresponding bps/iops values' : 'bps_max/iops_max cannot be lower than bps/iops');
  }
  return OK;
}

export function objectAdd(d: Draft, args: JsonObject): Result {
  const id = str(args, 'id') ?? '';
  const limits = isId(id) ? checkLimits(isObject(args['limits']) ? args['limits'] : {}) : fail('invalid-param', "Parameter 'id' expects an identifier");
  if (!limits.ok || d.groups.includes(id)) return limits.ok ? fail('duplicate', `attempt to add duplicate property '${id}' to object (type 'container')`) : limits;
  d.groups.push(id);
  return OK;
}

/** A group is in use while a node names it. */
export function objectDel(d: Draft, args: JsonObject): Result {
  const id = str(args, 'id') ?? '';
  if (!d.groups.includes(id)) return fail('not-found', `object '${id}' not found`);
  if (d.nodes.some((n) => driverFacts(n.driver).usesGroup?.(n, id) === true)) return fail('in-use', `object '${id}' is in use, can not be deleted`);
  d.groups = d.groups.filter((g) => g !== id);
  return OK;
}
