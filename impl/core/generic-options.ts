// Checks on the generic block options every driver takes (bdrv_parse_detect_zeroes and friends).
import type { JsonObject } from '../../qmp/types.ts';
import { OK, fail } from './result.ts';
import type { Result } from './result.ts';

export function checkDetectZeroes(options: JsonObject): Result<void> {
  if (options['detect-zeroes'] === 'unmap' && options['discard'] !== 'unmap') {
    return fail('invalid-param', 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap');
  }
  return OK;
}
