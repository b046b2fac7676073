// Checks on the generic block options every driver takes (bdrv_parse_detect_zeroes and friends).
import type { JsonObject } from '../../qmp/types.ts';
import { OK, fail } from './result.ts';
import type { Result } from './result.ts';

/** `currentDiscard`: a reopen that omits `discard` keeps the node's current discard mode. */
export function checkDetectZeroes(options: JsonObject, currentDiscard = 'ignore'): Result<void> {
  const discard = typeof options['discard'] === 'string' ? options['discard'] : currentDiscard;
  if (options['detect-zeroes'] === 'unmap' && discard !== 'unmap') {
    return fail('invalid-param', 'setting detect-zeroes to unmap is not allowed without setting discard operation to unmap');
  }
  return OK;
}
