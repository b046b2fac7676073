// object-add / object-del for the one QOM type the block layer needs here: throttle-group.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { any, enumOf, int, opt, req, str } from '../qapi/schema.ts';
import { qapi } from '../qapi/blockdev-options.ts';

const THROTTLE_GROUP = [
  req('qom-type', enumOf('throttle-group')),
  req('id', str),
  opt('limits', any),
  opt('x-iops-total', int),
  opt('x-bps-total', int),
];

export function objectAdd(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, THROTTLE_GROUP, '');
  if (!v.ok) return v;
  const id = String(args['id']);
  if (env.throttleGroups.has(id)) {
    return fail('duplicate', `attempt to add duplicate property '${id}' to object (type 'container')`);
  }
  env.throttleGroups.set(id, { id, users: 0 });
  return OK;
}

export function objectDel(env: BlockEnv, args: JsonObject): Result<void> {
  const v = qapi.visitStruct(args, [req('id', str)], '');
  if (!v.ok) return v;
  const id = String(args['id']);
  const group = env.throttleGroups.get(id);
  if (!group) return fail('not-found', `object '${id}' not found`);
  if (group.users > 0) return fail('in-use', `object '${id}' is in use, can not be deleted`);
  env.throttleGroups.delete(id);
  return OK;
}
