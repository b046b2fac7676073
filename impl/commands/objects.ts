// object-add / object-del for the one QOM type the block layer needs here: throttle-group.
import type { JsonObject } from '../../qmp/types.ts';
import type { BlockEnv } from '../core/block-env.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { enumOf, int, opt, req, str, struct } from '../qapi/schema.ts';
import { THROTTLE_LIMITS, checkThrottleLimits } from '../qapi/throttle-limits.ts';
import { qapi } from '../qapi/blockdev-options.ts';

/** QEMU 7.2's ObjectType enum; only throttle-group is implemented. */
const OBJECT_TYPES = [
  'authz-list', 'authz-listfile', 'authz-pam', 'authz-simple', 'can-bus', 'can-host-socketcan', 'colo-compare',
  'cryptodev-backend', 'cryptodev-backend-builtin', 'cryptodev-vhost-user', 'dbus-vmstate', 'filter-buffer',
  'filter-dump', 'filter-mirror', 'filter-redirector', 'filter-replay', 'filter-rewriter', 'input-barrier',
  'input-linux', 'iothread', 'main-loop', 'memory-backend-epc', 'memory-backend-file', 'memory-backend-memfd',
  'memory-backend-ram', 'pef-guest', 'pr-manager-helper', 'qtest', 'rng-builtin', 'rng-egd', 'rng-random',
  'secret', 'secret_keyring', 'sev-guest', 'thread-context', 's390-pv-guest', 'throttle-group',
  'tls-creds-anon', 'tls-creds-psk', 'tls-creds-x509', 'tls-cipher-suites', 'x-remote-object', 'x-vfio-user-server',
];
const OBJECT_BASE = [req('qom-type', enumOf(...OBJECT_TYPES)), req('id', str)];
const THROTTLE_GROUP = [
  ...OBJECT_BASE,
  opt('limits', struct(...THROTTLE_LIMITS)),
  ...THROTTLE_LIMITS.map((m) => opt(`x-${m.name}`, int)),
];
const ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function objectAdd(env: BlockEnv, args: JsonObject): Result<void> {
  const base = qapi.visitMembers(args, OBJECT_BASE, '');
  if (!base.ok) return base;
  if (args['qom-type'] !== 'throttle-group') return fail('unsupported', `Object type '${String(args['qom-type'])}' is not supported by bgcheck`);
  const v = qapi.visitStruct(args, THROTTLE_GROUP, '');
  if (!v.ok) return v;
  const id = String(args['id']);
  if (!ID.test(id)) return fail('invalid-param', "Parameter 'id' expects an identifier");
  const limits = args['limits'];
  if (typeof limits === 'object' && limits !== null && !Array.isArray(limits)) {
    const c = checkThrottleLimits(limits as JsonObject);
    if (!c.ok) return c;
  }
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
