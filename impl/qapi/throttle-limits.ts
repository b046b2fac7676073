// ThrottleLimits (qapi/block-core.json) and QEMU's throttle_is_valid() checks.
import type { JsonObject } from '../../qmp/types.ts';
import { intArg } from '../drivers/common.ts';
import { OK, fail } from '../core/result.ts';
import type { Result } from '../core/result.ts';
import { int, opt } from './schema.ts';
import type { QapiMember } from './schema.ts';

const BUCKETS = ['bps-total', 'bps-read', 'bps-write', 'iops-total', 'iops-read', 'iops-write'] as const;
const THROTTLE_VALUE_MAX = 1_000_000_000_000_000;

/** Members in schema order: iops first, then bps, then iops-size. */
export const THROTTLE_LIMITS: readonly QapiMember[] = [
  ...['iops-total', 'iops-read', 'iops-write', 'bps-total', 'bps-read', 'bps-write'].flatMap((b) => [
    opt(b, int),
    opt(`${b}-max`, int),
    opt(`${b}-max-length`, int),
  ]),
  opt('iops-size', int),
];

const num = (l: JsonObject, k: string): number => intArg(l, k) ?? 0;

export function checkThrottleLimits(l: JsonObject): Result<void> {
  for (const kind of ['bps', 'iops']) {
    if (num(l, `${kind}-total`) && (num(l, `${kind}-read`) || num(l, `${kind}-write`))) {
      return fail('invalid-param', 'bps(iops) and bps(iops)_rd/_wr settings cannot be used at the same time');
    }
    if (num(l, `${kind}-total-max`) && (num(l, `${kind}-read-max`) || num(l, `${kind}-write-max`))) {
      return fail('invalid-param', 'bps_max(iops_max) and bps_max(iops_max)_rd/_wr settings cannot be used at the same time');
    }
  }
  for (const b of BUCKETS) {
    const avg = num(l, b);
    const max = num(l, `${b}-max`);
    if (avg < 0 || max < 0 || avg > THROTTLE_VALUE_MAX || max > THROTTLE_VALUE_MAX) {
      return fail('invalid-param', `bps/iops/max values must be within [0, ${THROTTLE_VALUE_MAX}]`);
    }
    if (max && !avg) return fail('invalid-param', 'bps_max/iops_max require corresponding bps/iops values');
    if (max && max < avg) return fail('invalid-param', 'bps_max/iops_max cannot be lower than bps/iops');
  }
  return OK;
}
