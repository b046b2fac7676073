// nbd-server-start, block-export-add/del (anonymous BlockBackends) and throttle-group objects.
import type { JsonObject } from '../../qmp/types.ts';
import { checkGraph } from '../check.ts';
import type { Draft } from '../draft.ts';
import { driverFacts } from '../drivers/index.ts';
import { addBackend, dropOrphans, removeBackends } from '../edit.ts';
import { lookup, str } from '../graph.ts';
import { isObjectValue } from '../../qmp/json-value.ts';
import { ALL_PERMS, minus, permSet } from '../../qmp/perm-set.ts';
import { OK, fail, failureOf, type Result } from '../result.ts';
export function nbdServerStart(d: Draft): Result {
  if (d.nbd) return fail('in-use', 'NBD server already running');
  d.nbd = true;
  return OK;
}

/** An NBD export: R (and W if writable), sharing all but resize (at attach it shares everything, then narrows: the
 * order of its checks is not followed, any refusal among them is allowed). */
export function blockExportAdd(d: Draft, args: JsonObject): Result {
  const id = str(args, 'id') ?? '';
  if (args['type'] !== 'nbd') return fail('unsupported', `Export type '${String(args['type'])}' is not modelled`);
  if (d.exports.some((e) => e.id === id)) return fail('duplicate', `Block export id '${id}' is already in use`);
  const n = lookup(d, str(args, 'node-name'), '');
  if (!n.ok) return n;
  const [writable, name] = [args['writable'] === true, str(args, 'name') ?? n.value.name];
  if (writable && n.value.readOnly) return fail('read-only', 'Cannot export read-only node as writable');
  const taken = d.exports.some((e) => e.name === name) ? fail('duplicate', `NBD server already has export named '${name}'`) : OK;
  const perm = permSet('consistent-read', ...(writable ? (['write'] as const) : []));
  const bb = addBackend(d, n.value.name, perm, minus(ALL_PERMS, permSet('resize')));
  d.exports.push({ id, name, bb });
  return failureOf(d.nbd ? OK : fail('not-found', 'NBD server not running'), taken, checkGraph(d, [n.value.name])) ?? OK;
}

export function blockExportDel(d: Draft, args: JsonObject): Result {
  const e = d.exports.find((x) => x.id === args['id']);
  if (!e) return fail('not-found', `Export '${String(args['id'])}' is not found`);
  removeBackends(d, [e.bb]);
  d.exports = d.exports.filter((x) => x !== e);
  dropOrphans(d);
  return OK;
}

/** Whether limits are valid (throttle_is_valid) is an option error the model does not state: limits may be refused. */
export function objectAdd(d: Draft, args: JsonObject): Result {
  const id = str(args, 'id') ?? '';
  if (isObjectValue(args['limits']) && Object.keys(args['limits']).length > 0) d.mayFail.push({ code: 'invalid-param', message: 'invalid throttle limits' });
  if (d.groups.includes(id)) return fail('duplicate', `attempt to add duplicate property '${id}' to object (type 'container')`);
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
