// BlockdevOptions: the flat union blockdev-add and blockdev-reopen take, keyed by `driver`.
import type { JsonObject, JsonValue } from '../../qmp/types.ts';
import { QAPI_DRIVER_NAMES, driverByName } from '../drivers/registry.ts';
import { fail, ok } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { bool, enumOf, opt, req, str, struct } from './schema.ts';
import type { QapiMember } from './schema.ts';
import { QapiVisitor } from './visit.ts';

export const BLOCKDEV_BASE: readonly QapiMember[] = [
  req('driver', enumOf(...QAPI_DRIVER_NAMES)),
  opt('node-name', str),
  opt('discard', enumOf('ignore', 'unmap')),
  opt('cache', struct(opt('direct', bool), opt('no-flush', bool))),
  opt('read-only', bool),
  opt('auto-read-only', bool),
  opt('force-share', bool),
  opt('detect-zeroes', enumOf('off', 'on', 'unmap')),
];

function variantMembers(obj: JsonObject, path: string): Result<readonly QapiMember[]> {
  const base = qapi.visitMembers(obj, BLOCKDEV_BASE.slice(0, 1), path);
  if (!base.ok) return base;
  const name = String(obj['driver']);
  const d = driverByName(name);
  if (!d) return fail('unsupported', `Driver '${name}' is not supported by bgcheck`);
  return ok([...BLOCKDEV_BASE, ...d.schema]);
}

export const qapi = new QapiVisitor(variantMembers);

export function validateBlockdevOptions(v: JsonValue, path = ''): Result<JsonObject> {
  const r = qapi.visitBlockdevOptions(v, path);
  return r.ok ? ok(v as JsonObject) : r;
}
